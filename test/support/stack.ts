import { GraphQLClient } from 'graphql-request';
import { loadConfig } from '../../src/config.ts';
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../src/emulator/server.ts';
import { createGateway, type Gateway } from '../../src/server.ts';

export interface Stack {
  emulator: EmulatorHandle;
  gateway: Gateway;
  url: string;
  client: GraphQLClient;
  /** Upstream calls the emulator saw since the last reset, by route. */
  calls(): Record<string, number>;
  totalCalls(): number;
  resetCalls(): void;
  close(): Promise<void>;
}

/**
 * The real gateway in front of the real emulator, both over HTTP on free loopback ports.
 * Rate limits are off unless a test asks for them, so counts are about planning, not limits.
 */
export async function startStack(
  options: { emulator?: EmulatorOptions; env?: Record<string, string> } = {},
): Promise<Stack> {
  const emulator = await startEmulator({ rateLimits: false, ...options.emulator });
  const { hostname, port } = new URL(emulator.url);
  const config = loadConfig({
    NODE_ENV: 'test',
    WORKOS_API_KEY: emulator.apiKey,
    WORKOS_CLIENT_ID: emulator.clientId,
    WORKOS_API_HOSTNAME: hostname,
    WORKOS_API_HTTPS: 'false',
    WORKOS_API_PORT: port,
    ...options.env,
  });
  const gateway = createGateway({ ...config, workos: { ...config.workos, apiKey: emulator.apiKey } });
  const url = await gateway.listen(0, '127.0.0.1');
  return {
    emulator,
    gateway,
    url,
    client: new GraphQLClient(url),
    calls: () => emulator.requests.counts(),
    totalCalls: () => emulator.requests.total(),
    resetCalls: () => emulator.requests.reset(),
    close: async () => {
      await gateway.close();
      await emulator.close();
    },
  };
}

/** Posts a raw GraphQL request and returns the whole JSON body (data and errors). */
export async function post(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: { data?: Record<string, unknown> | null; errors?: GraphQLErrorBody[] } }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as { data?: Record<string, unknown> | null; errors?: GraphQLErrorBody[] } };
}

export interface GraphQLErrorBody {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}
