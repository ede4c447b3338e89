// HTTP-level limits that run before GraphQL parsing: a capped request body (413), and a
// body length that must be declared (411), so an endless chunked body cannot exhaust memory.
import type { Plugin } from 'graphql-yoga';

export const MAX_BODY_BYTES = Number(process.env.MAX_BODY_BYTES ?? 5 * 1024 * 1024);

function reject(fetchAPI: { Response: typeof Response }, status: number, code: string, message: string): Response {
  return new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }),
    { status, headers: { 'content-type': 'application/json; charset=utf-8' } });
}

export function useBodyLimit(maxBytes = MAX_BODY_BYTES): Plugin {
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      if (request.method !== 'POST') return;
      const length = request.headers.get('content-length');
      if (length === null) {
        if (request.body) endResponse(reject(fetchAPI, 411, 'LENGTH_REQUIRED', 'POST bodies must declare Content-Length.'));
        return;
      }
      if (Number(length) > maxBytes) {
        endResponse(reject(fetchAPI, 413, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${maxBytes} bytes.`));
      }
    },
  };
}
