/**
 * npm run bench: upstream calls per query shape (ours, naive, minimum), gateway overhead
 * against direct SDK calls, and the rate budget under three times its load. Prints a table,
 * saves bench/results.json and rewrites the table in README.md (a --quick run only prints). Nothing here is asserted:
 * the numbers are for people to read and compare.
 *   npm run bench [-- --quick]   (--quick: shorter overhead and budget runs)
 */
import { RATE_LIMIT_VARIABLES } from '../src/config/rate-limits.ts';
import { measureBudget } from './budget.ts';
import { measureCache } from './cache.ts';
import { LATENCY_MS, measureLatency } from './latency.ts';
import { measureOverhead } from './overhead.ts';
import { record } from './report.ts';
import { startRemoteEmulator } from './remote-emulator.ts';
import { query, startEmulatorFor, startGatewayFor } from './stack.ts';
import { callsFor, suiteShapes } from './suite.ts';

const quick = process.argv.includes('--quick');

const em = await startEmulatorFor({ seed: { organizations: 20, users: 2100 } });
const planned = await startGatewayFor(em);
const naive = await startGatewayFor(em, { GATEWAY_PLANNING: 'false', GATEWAY_COALESCE: 'false' });

const first = await query(planned.url, `{ users(first: 10) { edges { node { id } } } }`);
const usersFirstPage = (first.body.data as { users: { edges: { node: { id: string } }[] } }).users.edges.map((e) => e.node.id);

console.log('Upstream calls per query shape');
const suite = [];
for (const shape of suiteShapes(em, usersFirstPage)) {
  const ours = await callsFor(em, planned.url, shape);
  const naiveCalls = await callsFor(em, naive.url, shape);
  suite.push({ shape: shape.name, ours, naive: naiveCalls, minimum: shape.minimum, why: shape.why, nested: shape.nested });
  console.log(`  ${shape.name.padEnd(50)} ours ${String(ours).padStart(4)}  naive ${String(naiveCalls).padStart(5)}  minimum ${shape.minimum}`);
}
await naive.gateway.close();

await planned.gateway.close();
await em.close();

console.log('Overhead: gateway vs a hand-written route calling the SDK (WorkOS emulator in its own process)');
const remote = await startRemoteEmulator(['--no-rate-limits']);
// Limits off at both ends (the emulator runs with --no-rate-limits, the route has none), so
// only the gateway's own cost is measured, not its pacing under WorkOS' user-management limit.
const remoteGateway = await startGatewayFor(remote, Object.fromEntries(Object.values(RATE_LIMIT_VARIABLES).map((name) => [name, 'off'])));
const orgIds = ((await (await fetch(`${remote.url}/organizations?limit=100`, { headers: { authorization: `Bearer ${remote.apiKey}` } })).json()) as { data: { id: string }[] }).data.map((o) => o.id);
const overhead = await measureOverhead(remote, remoteGateway.url, orgIds);
for (const row of overhead) {
  console.log(`  ${row.shape.padEnd(40)} c=${String(row.concurrency).padEnd(3)} p50 ${row.gateway.p50} vs ${row.direct.p50} ms (x${row.ratio})  p99 ${row.gateway.p99} vs ${row.direct.p99} ms  ${row.gateway.rps} vs ${row.direct.rps} req/s`);
}
await remoteGateway.gateway.close();
await remote.close();

console.log(`Latency: every WorkOS call delayed by ${LATENCY_MS} ms (calls and waves ours/minimum; p50 ours / naive / hand-written route)`);
const latency = await measureLatency(quick ? 6 : 20, quick ? 200 : 600);

console.log('Rate budget: three times the budget from two tenants, through one instance and through two sharing Redis');
const budget = [];
for (const instances of [1, 2] as const) {
  budget.push(await measureBudget(30, quick ? 5 : 20, instances));
  console.log(`  ${JSON.stringify(budget.at(-1))}`);
}

console.log('Cross-request cache');
const cache = await measureCache();
console.log(`  ${JSON.stringify(cache)}`);

const results = {
  measuredAt: new Date().toISOString(),
  machine: { node: process.version, cpus: (await import('node:os')).cpus().length },
  suite,
  overhead,
  latency,
  budget,
  cache,
};
record(results, quick);
process.exit(0);
