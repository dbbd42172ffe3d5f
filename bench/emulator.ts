/**
 * Requests per second the emulator serves for GET /organizations/:id, over keep-alive HTTP,
 * with plain fetch and through the WorkOS SDK. A small bounded run: printed, never asserted.
 *   npx tsx --conditions=source bench/emulator.ts [requests=2000] [concurrency=16]
 */
import { WorkOS } from '@workos-inc/node';
import { startEmulator } from '@workos-graphql-gateway/emulator';

const total = Number(process.argv[2] ?? 2000);
const concurrency = Number(process.argv[3] ?? 16);

async function run(label: string, call: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < total) await call(next++);
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const s = (performance.now() - t0) / 1000;
  console.log(`${label.padEnd(28)} ${total} requests, concurrency ${concurrency}: ${(total / s).toFixed(0)} req/s (${((s * 1000) / total).toFixed(2)} ms avg)`);
}

const em = await startEmulator({ rateLimits: false, seed: { users: 5000, organizations: 200 } });
const ids = [...em.store.organizations.keys()];
const url = new URL(em.url);
const workos = new WorkOS(em.apiKey, { apiHostname: url.hostname, port: Number(url.port), https: false, maxRetries: 0 });
const headers = { authorization: `Bearer ${em.apiKey}` };

// Warm up connections and JIT.
await Promise.all(ids.slice(0, 50).map((id) => fetch(`${em.url}/organizations/${id}`, { headers }).then((r) => r.arrayBuffer())));

await run('fetch GET /organizations/:id', async (i) => {
  const res = await fetch(`${em.url}/organizations/${ids[i % ids.length]}`, { headers });
  if (res.status !== 200) throw new Error(`status ${res.status}`);
  await res.arrayBuffer();
});
await run('SDK getOrganization', (i) => workos.organizations.getOrganization(ids[i % ids.length]));

const counted = em.requests.counts()['GET /organizations/:id'];
console.log(`emulator counted ${counted} GET /organizations/:id`);
await em.close();
