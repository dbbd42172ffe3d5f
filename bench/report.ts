import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { BudgetResult } from './budget.ts';
import type { CacheResult } from './cache.ts';
import type { LatencyResult } from './latency.ts';
import type { OverheadRow } from './overhead.ts';

export interface Results {
  measuredAt: string;
  machine: { node: string; cpus: number };
  suite: { shape: string; ours: number; naive: number; minimum: number; nested: boolean }[];
  overhead: OverheadRow[];
  latency?: LatencyResult;
  budget: BudgetResult[];
  cache: CacheResult;
}

const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

export function renderTables(r: Results): string {
  const lines = [
    `Measured ${r.measuredAt.slice(0, 10)} on ${r.machine.cpus} cores, Node ${r.machine.node} (\`npm run bench\`; raw numbers in \`bench/results.json\`; how each is measured in \`bench/README.md\`). Call counts and the cache use an in-process emulator; overhead and the rate budget run the emulator in a process of its own.`,
    '',
    '| Query shape | Upstream calls (ours) | Naive (no loaders or planning) | Minimum possible | Naive / ours |',
    '|---|---:|---:|---:|---:|',
    ...r.suite.map((s) => `| ${s.shape} | ${s.ours} | ${s.naive} | ${s.minimum} | ${(s.naive / s.ours).toFixed(1)}x |`),
    '',
    '| Overhead vs a hand-written route calling the SDK | Concurrency | p50 gateway / direct (ms) | p99 gateway / direct (ms) | Throughput gateway / direct (req/s) | p50 ratio |',
    '|---|---:|---:|---:|---:|---:|',
    ...r.overhead.map(
      (o) =>
        `| ${o.shape} | ${o.concurrency} | ${o.gateway.p50} / ${o.direct.p50} | ${o.gateway.p99} / ${o.direct.p99} | ${o.gateway.rps} / ${o.direct.rps} | ${o.ratio} |`,
    ),
    ...(r.latency ? latencyTable(r.latency) : []),
    '',
    `Rate budget: WorkOS limit set to ${r.budget[0].budgetPerSecond} calls/s, ${r.budget[0].offeredPerSecond} queries/s offered for ${r.budget[0].seconds} s by two tenants (${r.budget[0].queries} queries), through one instance, and alternating between two instances that share the budget through Redis.`,
    '',
    '| Instances | Client-visible errors | 429s seen upstream | Total time (s) | Budget’s minimum (s) | Time ratio | Small tenant p50 / p99 / max (ms) |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...r.budget.map(
      (b) =>
        `| ${b.instances} | ${b.clientErrors} | ${b.upstream429s} | ${b.totalSeconds} | ${b.minimumSeconds} | ${b.timeRatio} | ${b.smallTenant.p50} / ${b.smallTenant.p99} / ${b.smallTenant.max} |`,
    ),
    '',
    `Cross-request cache (${r.cache.repeats} repeated queries of an organization with its members; change made at WorkOS, seen through its webhook):`,
    '',
    '| Upstream calls, cache off | Upstream calls, cache on | Change → fresh read, median / p90 / max (ms) |',
    '|---:|---:|---:|',
    `| ${r.cache.callsCacheOff} | ${r.cache.callsCacheOn} | ${r.cache.changeToFreshReadMs.median} / ${r.cache.changeToFreshReadMs.p90} / ${r.cache.changeToFreshReadMs.max} |`,
  ];
  return lines.join('\n');
}

/** Where a full run records its numbers: the raw results and the README's tables. */
export const RECORD_PATHS = { results: new URL('./results.json', import.meta.url), readme: new URL('../README.md', import.meta.url) };

/**
 * A full run saves results.json and rewrites the README's tables; a quick run (shorter, noisier
 * numbers) only prints them, so the committed numbers stay those of a full run. Returns the
 * files written.
 */
export function record(results: Results, quick: boolean, paths: { results: URL; readme: URL } = RECORD_PATHS): URL[] {
  const tables = renderTables(results);
  console.log(`\n${tables}\n`);
  if (quick) {
    console.log('Quick run: printed only; bench/results.json and README.md are unchanged (run `npm run bench` to record).');
    return [];
  }
  writeFileSync(paths.results, `${JSON.stringify(results, null, 2)}\n`);
  const written = [paths.results];
  if (updateReadme(tables, paths.readme)) written.push(paths.readme);
  console.log('Saved bench/results.json and updated the table in README.md.');
  return written;
}

export function updateReadme(tables: string, path: URL = RECORD_PATHS.readme): boolean {
  if (!existsSync(path)) return false;
  const readme = readFileSync(path, 'utf8');
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) return false;
  writeFileSync(path, `${readme.slice(0, start + START.length)}\n${tables}\n${readme.slice(end)}`);
  return true;
}

/** Latency at 80 ms per WorkOS call: calls and waves against the minimum, and p50/p90 of the three contenders. */
function latencyTable(l: LatencyResult): string[] {
  return [
    '',
    `Latency: every WorkOS call delayed by ${l.latencyMs} ms at the emulator (its own process); ${l.rounds} alternating rounds per shape.`,
    '',
    '| Screen | Calls ours / naive / route / minimum | Waves ours / naive / route / minimum | p50 ours / naive / route (ms) | p90 ours / naive / route (ms) | p50 ours ÷ route |',
    '|---|---:|---:|---:|---:|---:|',
    ...l.rows.map(
      (row) =>
        `| ${row.shape} | ${row.gateway.calls} / ${row.naive.calls} / ${row.route.calls} / ${row.minimum.calls} | ${row.gateway.waves} / ${row.naive.waves} / ${row.route.waves} / ${row.minimum.waves} | ${row.gateway.p50} / ${row.naive.p50} / ${row.route.p50} | ${row.gateway.p90} / ${row.naive.p90} / ${row.route.p90} | ${(row.gateway.p50 / row.route.p50).toFixed(2)} |`,
    ),
    '',
    `Members page at ${l.throughput.connections} connections: ${l.throughput.rps} req/s, ${Math.round(l.throughput.share * 100)}% of the latency-bound ${l.throughput.bound} req/s (${l.throughput.connections} / (minimum waves × ${l.latencyMs} ms))` +
      (l.throughput.ownProcess
        ? `; with the client in a process of its own ${l.throughput.ownProcess.rps} req/s (${Math.round(l.throughput.ownProcess.share * 100)}%, p50 ${l.throughput.ownProcess.p50} ms).`
        : '.'),
  ];
}
