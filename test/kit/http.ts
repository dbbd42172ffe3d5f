/** GraphQL over HTTP as a client sends it: JSON in, the whole JSON body (data and errors) out. */

export interface GraphQLErrorBody {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

export interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: GraphQLErrorBody[];
  extensions?: Record<string, unknown>;
}

/** The token `post` sends to a gateway unless told otherwise (set by startStack). */
const defaultTokens = new Map<string, string>();

export const setDefaultToken = (url: string, token: string | undefined): void => {
  if (token) defaultTokens.set(url, token);
  else defaultTokens.delete(url);
};

/** Headers for `post`: send this bearer token, or (null) no Authorization header at all. */
export const bearer = (token: string | null): Record<string, string> => ({ authorization: token ? `Bearer ${token}` : '' });

/**
 * Posts a raw GraphQL request and returns the status and the whole JSON body. It sends the
 * gateway's default token unless `headers` has an `authorization` of its own (empty: none).
 */
export async function post(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: GraphQLBody }> {
  const own = Object.keys(headers).find((name) => name.toLowerCase() === 'authorization');
  const token = defaultTokens.get(url);
  const auth: Record<string, string> = own === undefined ? (token ? { authorization: `Bearer ${token}` } : {}) : {};
  const rest = Object.fromEntries(Object.entries(headers).filter(([name, value]) => name !== own || value !== ''));
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth, ...rest },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLBody };
}

/** The body without `extensions.cost` (on every answer): for comparing whole bodies. */
export function withoutCost(body: GraphQLBody): GraphQLBody {
  const { extensions, ...rest } = body;
  const { cost: _cost, ...others } = extensions ?? {};
  return Object.keys(others).length ? { ...rest, extensions: others } : rest;
}
