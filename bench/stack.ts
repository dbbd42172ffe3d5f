import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '@workos-graphql-gateway/emulator';
import { startGateway, type Upstream } from '../test/kit/gateway.ts';
import { bearer, post } from '../test/kit/http.ts';

/** Service tokens the benchmark signs in with: one per simulated tenant. */
export const TOKENS = ['bench-service-token-large-tenant-000001', 'bench-service-token-small-tenant-000002'];

export async function startEmulatorFor(options: EmulatorOptions): Promise<EmulatorHandle> {
  return startEmulator({ rateLimits: false, ...options });
}

/** A gateway in front of `emulator` with the benchmark's tenants, configured by extra environment variables. */
export const startGatewayFor = (emulator: Upstream, env: Record<string, string> = {}) =>
  // Each measurement is of one query's plan; the cross-request cache is measured on its own.
  startGateway(emulator, { GATEWAY_SERVICE_TOKENS: TOKENS.join(','), GATEWAY_MAX_QUERY_COST: '1000000', ...env });

/** One GraphQL request as a tenant: the test kit's `post` with the tenant's token. */
export const query = (url: string, document: string, variables: Record<string, unknown> = {}, token = TOKENS[0]) =>
  post(url, document, variables, bearer(token));

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs `total` calls with `concurrency` workers; returns each call's latency (ms) and the wall time. */
export async function load(total: number, concurrency: number, call: (i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const start = performance.now();
        await call(i);
        latencies.push(performance.now() - start);
      }
    }),
  );
  const wallMs = performance.now() - t0;
  latencies.sort((a, b) => a - b);
  return { latencies, wallMs, throughput: (total / wallMs) * 1000 };
}
