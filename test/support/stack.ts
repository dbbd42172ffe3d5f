import { randomBytes } from 'node:crypto';
import { GraphQLClient } from 'graphql-request';
import { loadConfig } from '../../src/config.ts';
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '@workos-graphql-gateway/emulator';
import { createGateway, type Gateway } from '../../src/server.ts';

export interface Stack {
  emulator: EmulatorHandle;
  gateway: Gateway;
  url: string;
  /** Sends the stack's service token (full access), like every helper here unless told otherwise. */
  client: GraphQLClient;
  /** The service token the gateway was started with (GATEWAY_SERVICE_TOKENS). */
  serviceToken: string;
  /** A client with another token, or none (null): e.g. a user's access token. */
  clientAs(token: string | null): GraphQLClient;
  /** Upstream calls the emulator saw since the last reset, by route. */
  calls(): Record<string, number>;
  totalCalls(): number;
  resetCalls(): void;
  close(): Promise<void>;
}

/** The environment that points a gateway at `emulator`, as an operator would set it. */
export function upstreamEnv(emulator: Pick<EmulatorHandle, 'url' | 'apiKey' | 'clientId'>): Record<string, string> {
  const { hostname, port } = new URL(emulator.url);
  return {
    NODE_ENV: 'test',
    WORKOS_API_KEY: emulator.apiKey,
    WORKOS_CLIENT_ID: emulator.clientId,
    WORKOS_API_HOSTNAME: hostname,
    WORKOS_API_HTTPS: 'false',
    WORKOS_API_PORT: port,
  };
}

/**
 * The real gateway in front of the real emulator, both over HTTP on free loopback ports.
 * Rate limits are off unless a test asks for them, so counts are about planning, not limits.
 */
export async function startStack(
  options: { emulator?: EmulatorOptions; env?: Record<string, string> } = {},
): Promise<Stack> {
  const emulator = await startEmulator({ rateLimits: false, ...options.emulator });
  const serviceToken = `svc_${randomBytes(32).toString('base64url')}`;
  const config = loadConfig({
    ...upstreamEnv(emulator),
    // Off unless a test turns it on: the exact upstream counts other tests assert are per request.
    GATEWAY_CACHE_TTL_MS: '0',
    ...options.env,
    // The stack's own token always works; a test may add more (e.g. one per tenant).
    GATEWAY_SERVICE_TOKENS: [serviceToken, options.env?.GATEWAY_SERVICE_TOKENS].filter(Boolean).join(','),
  });
  const gateway = createGateway({ ...config, workos: { ...config.workos, apiKey: emulator.apiKey } });
  const url = await gateway.listen(0, '127.0.0.1');
  defaultTokens.set(url, serviceToken);
  const clientAs = (token: string | null) => new GraphQLClient(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return {
    emulator,
    gateway,
    url,
    client: clientAs(serviceToken),
    serviceToken,
    clientAs,
    calls: () => emulator.requests.counts(),
    totalCalls: () => emulator.requests.total(),
    resetCalls: () => emulator.requests.reset(),
    close: async () => {
      defaultTokens.delete(url);
      await gateway.close();
      await emulator.close();
    },
  };
}

/** Each running stack's service token, by gateway URL: what `post` sends unless told otherwise. */
const defaultTokens = new Map<string, string>();

/** Headers for `post`: send this bearer token, or (null) no Authorization header at all. */
export const bearer = (token: string | null): Record<string, string> => ({ authorization: token ? `Bearer ${token}` : '' });

/**
 * Posts a raw GraphQL request and returns the whole JSON body (data and errors). It sends the
 * stack's service token unless `headers` has an `authorization` of its own (empty: none).
 */
export async function post(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: { data?: Record<string, unknown> | null; errors?: GraphQLErrorBody[] } }> {
  const own = Object.keys(headers).find((name) => name.toLowerCase() === 'authorization');
  const token = defaultTokens.get(url);
  const auth: Record<string, string> = own === undefined ? (token ? { authorization: `Bearer ${token}` } : {}) : {};
  const rest = Object.fromEntries(Object.entries(headers).filter(([name, value]) => name !== own || value !== ''));
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth, ...rest },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as { data?: Record<string, unknown> | null; errors?: GraphQLErrorBody[] } };
}

export interface GraphQLErrorBody {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}
