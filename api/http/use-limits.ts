// HTTP-level limits that run before GraphQL parsing: a supported content type (415) and a capped
// request body (413). A body without Content-Length (chunked) is counted as it streams in, so an
// endless body is cut at the cap instead of exhausting memory.
import type { Plugin } from 'graphql-yoga';
import { DEFAULT_MAX_BODY_BYTES } from '../../core/config.js';
import { PayloadTooLarge, UnsupportedMediaType } from '../../core/errors.js';
import { errorResponse } from './use-error-codes.js';

async function streamsPast(request: Request, maxBytes: number): Promise<boolean> {
  const reader = request.clone().body?.getReader();
  if (!reader) return false;
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return false;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return true;
    }
  }
}

const ACCEPTED_TYPES = ['application/json', 'application/graphql-response+json', 'application/graphql', 'application/x-www-form-urlencoded', 'multipart/form-data'];

/** `maxBytes`: MAX_BODY_BYTES from core/config.ts when the app is built from the environment. */
export function useBodyLimit(maxBytes = DEFAULT_MAX_BODY_BYTES): Plugin {
  return {
    async onRequest(hook) {
      const { request, fetchAPI } = hook;
      if (request.method !== 'POST') return;
      const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
      if (!ACCEPTED_TYPES.includes(type)) {
        hook.endResponse(errorResponse(fetchAPI, new UnsupportedMediaType(type)));
        return;
      }
      const length = request.headers.get('content-length');
      if (length === null ? await streamsPast(request, maxBytes) : Number(length) > maxBytes) {
        hook.endResponse(errorResponse(fetchAPI, new PayloadTooLarge(maxBytes)));
      }
    },
  };
}
