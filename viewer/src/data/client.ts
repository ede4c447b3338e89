// POSTs GraphQL to /graphql with fetch. Asks for plain JSON so that errors come back as
// 200 + `errors` (no failed-resource noise in the console) and are thrown as one Error.
// With an API key signed in (sessionStorage only: never the URL, localStorage, logs or exports)
// every request carries `Authorization: Bearer <key>`. When the API refuses that key (revoked),
// the key is forgotten, listeners hear of it, and the request is sent again anonymously.
export class GraphQLRequestError extends Error {
  constructor(message: string, readonly codes: string[] = []) {
    super(message);
    this.name = 'GraphQLRequestError';
  }
}

interface Response<T> {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

const KEY_STORAGE = 'disinfo-graph.apiKey';

/** The signed-in key, or null (also when sessionStorage is unavailable). */
export function storedKey(): string | null {
  try {
    return sessionStorage.getItem(KEY_STORAGE);
  } catch {
    return null;
  }
}

export function rememberKey(key: string): void {
  sessionStorage.setItem(KEY_STORAGE, key);
}

export function forgetKey(): void {
  try {
    sessionStorage.removeItem(KEY_STORAGE);
  } catch {
    // nothing stored
  }
}

const refusedListeners: Array<() => void> = [];

/** Called once each time the API refuses the stored key (the key is already forgotten). */
export function onKeyRefused(fn: () => void): void {
  refusedListeners.push(fn);
}

export interface RequestOptions {
  /** Send this key instead of the stored one (null: anonymously); a refusal then just throws. */
  key?: string | null;
}

export async function gql<T>(query: string, variables: Record<string, unknown> = {}, signal?: AbortSignal, opts: RequestOptions = {}): Promise<T> {
  const key = opts.key !== undefined ? opts.key : storedKey();
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  const res = await fetch('/graphql', {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
    signal,
  });
  let body: Response<T>;
  try {
    body = (await res.json()) as Response<T>;
  } catch {
    throw new GraphQLRequestError(`The API answered ${res.status} without JSON`);
  }
  if (body.errors?.length) {
    const codes = body.errors.map((e) => e.extensions?.code ?? '');
    // A request sent with a key never needs to sign in, so UNAUTHENTICATED means the key itself was refused.
    if (key && opts.key === undefined && codes.includes('UNAUTHENTICATED')) {
      if (storedKey() === key) {
        forgetKey();
        for (const fn of refusedListeners) fn();
      }
      return gql<T>(query, variables, signal);
    }
    throw new GraphQLRequestError(body.errors.map((e) => e.message).join('; '), codes);
  }
  if (!body.data) throw new GraphQLRequestError(`The API answered ${res.status} without data`);
  return body.data;
}
