import { loadConfig } from '../../src/config/index.ts';
import type { EmulatorHandle } from '@workos-graphql-gateway/emulator';
import { createGateway, type Gateway } from '../../src/gateway.ts';
import type { TelemetryOptions } from '../../src/observability/telemetry.ts';

/** What a gateway needs to know of its upstream: where it is and the key and client id it takes. */
export type Upstream = Pick<EmulatorHandle, 'url' | 'apiKey' | 'clientId'>;

/** The environment that points a gateway at `upstream`, as an operator would set it. */
export function upstreamEnv(upstream: Upstream): Record<string, string> {
  const { hostname, port } = new URL(upstream.url);
  return {
    NODE_ENV: 'test',
    WORKOS_API_KEY: upstream.apiKey,
    WORKOS_CLIENT_ID: upstream.clientId,
    WORKOS_API_HOSTNAME: hostname,
    WORKOS_API_HTTPS: 'false',
    WORKOS_API_PORT: port,
  };
}

/**
 * The real gateway in front of `upstream`, configured from environment variables the way
 * `npm start` is, listening on a free loopback port. The cross-request cache is off, and
 * readiness checks run only when /ready is asked, unless `env` says otherwise: the exact
 * upstream counts tests assert are per request. `telemetry` captures logs or spans.
 */
export async function startGateway(
  upstream: Upstream,
  env: Record<string, string> = {},
  telemetry: TelemetryOptions = {},
): Promise<{ gateway: Gateway; url: string }> {
  const config = loadConfig({ ...upstreamEnv(upstream), GATEWAY_CACHE_TTL_MS: '0', GATEWAY_READINESS_INTERVAL_MS: '0', ...env });
  const gateway = createGateway({ ...config, workos: { ...config.workos, apiKey: upstream.apiKey } }, telemetry);
  return { gateway, url: await gateway.listen(0, '127.0.0.1') };
}
