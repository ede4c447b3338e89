// POSTs GraphQL to /graphql with fetch. Asks for plain JSON so that errors come back as
// 200 + `errors` (no failed-resource noise in the console) and are thrown as one Error.
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

export async function gql<T>(query: string, variables: Record<string, unknown> = {}, signal?: AbortSignal): Promise<T> {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
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
    throw new GraphQLRequestError(body.errors.map((e) => e.message).join('; '), body.errors.map((e) => e.extensions?.code ?? ''));
  }
  if (!body.data) throw new GraphQLRequestError(`The API answered ${res.status} without data`);
  return body.data;
}
