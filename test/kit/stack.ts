import { randomBytes } from 'node:crypto';
import { GraphQLClient } from 'graphql-request';
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '@workos-graphql-gateway/emulator';
import type { Gateway } from '../../src/gateway.ts';
import { startGateway } from './gateway.ts';
import { setDefaultToken } from './http.ts';

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

/**
 * The real gateway in front of the real emulator, both over HTTP on free loopback ports.
 * Rate limits are off unless a test asks for them, so counts are about planning, not limits.
 */
export async function startStack(
  options: { emulator?: EmulatorOptions; env?: Record<string, string> } = {},
): Promise<Stack> {
  const emulator = await startEmulator({ rateLimits: false, ...options.emulator });
  const serviceToken = `svc_${randomBytes(32).toString('base64url')}`;
  const { gateway, url } = await startGateway(emulator, {
    ...options.env,
    // The stack's own token always works; a test may add more (e.g. one per tenant).
    GATEWAY_SERVICE_TOKENS: [serviceToken, options.env?.GATEWAY_SERVICE_TOKENS].filter(Boolean).join(','),
  });
  setDefaultToken(url, serviceToken);
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
      setDefaultToken(url, undefined);
      await gateway.close();
      await emulator.close();
    },
  };
}
