import { loadConfig } from '../src/config.ts';
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '@workos-graphql-gateway/emulator';
import { createGateway, type Gateway } from '../src/server.ts';
import { upstreamEnv } from '../test/support/stack.ts';

/** Service tokens the benchmark signs in with: one per simulated tenant. */
export const TOKENS = ['bench-service-token-large-tenant-000001', 'bench-service-token-small-tenant-000002'];

export async function startEmulatorFor(options: EmulatorOptions): Promise<EmulatorHandle> {
  return startEmulator({ rateLimits: false, ...options });
}

/** A gateway in front of `emulator`, configured by extra environment variables. */
export async function startGatewayFor(emulator: Pick<EmulatorHandle, 'url' | 'apiKey' | 'clientId'>, env: Record<string, string> = {}): Promise<{ gateway: Gateway; url: string }> {
  const config = loadConfig({
    ...upstreamEnv(emulator),
    GATEWAY_SERVICE_TOKENS: TOKENS.join(','),
    GATEWAY_MAX_QUERY_COST: '1000000',
    // Each measurement is of one query's plan; the cross-request cache is measured on its own.
    GATEWAY_CACHE_TTL_MS: '0',
    ...env,
  });
  const gateway = createGateway({ ...config, workos: { ...config.workos, apiKey: emulator.apiKey } });
  return { gateway, url: await gateway.listen(0, '127.0.0.1') };
}

export async function query(url: string, document: string, variables: Record<string, unknown> = {}, token = TOKENS[0]) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: document, variables }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
  return { status: response.status, body };
}

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
