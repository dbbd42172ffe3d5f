/**
 * Cross-request cache: upstream calls for 1,000 repeated queries with the cache off and on, and
 * the time from a change made at WorkOS (the emulator) to the gateway serving it (webhook path).
 * Run: npx tsx --conditions=source bench/cache.ts
 */
import type { Stack } from '../test/kit/stack.ts';
import { post } from '../test/kit/http.ts';
import { startEventsStack, upstream } from '../test/kit/events.ts';

const QUERY = `query($id: ID!) {
  organization(id: $id) { id name memberships(first: 10) { edges { node { id role { slug } user { email } } } } }
}`;
const REPEATS = 1_000;

const acmeOf = (stack: Stack) => [...stack.emulator.store.organizations.values()].find((o) => o.name === 'Acme Corp')!.id;

async function callsPerRepeats(ttlMs: string): Promise<number> {
  const stack = await startEventsStack({ GATEWAY_CACHE_TTL_MS: ttlMs });
  try {
    const id = acmeOf(stack);
    stack.resetCalls();
    for (let i = 0; i < REPEATS; i++) await post(stack.url, QUERY, { id });
    return stack.totalCalls();
  } finally {
    await stack.close();
  }
}

async function changeToFreshRead(): Promise<number[]> {
  const stack = await startEventsStack({ GATEWAY_CACHE_TTL_MS: '60000' });
  try {
    const id = acmeOf(stack);
    const samples: number[] = [];
    for (let i = 0; i < 20; i++) {
      await post(stack.url, QUERY, { id });
      const name = `Acme ${i}`;
      const started = performance.now();
      await upstream(stack.emulator, 'PUT', `/organizations/${id}`, { name });
      // Bounded: a change that never shows up is reported, not waited on forever.
      const giveUpAt = started + 5000;
      while (performance.now() < giveUpAt) {
        const { body } = await post(stack.url, QUERY, { id });
        if ((body.data?.organization as { name: string }).name === name) break;
      }
      samples.push(performance.now() - started);
    }
    return samples.sort((a, b) => a - b);
  } finally {
    await stack.close();
  }
}

export interface CacheResult {
  repeats: number;
  callsCacheOff: number;
  callsCacheOn: number;
  changeToFreshReadMs: { median: number; p90: number; max: number; samples: number };
}

export async function measureCache(): Promise<CacheResult> {
  const callsCacheOff = await callsPerRepeats('0');
  const callsCacheOn = await callsPerRepeats('30000');
  const fresh = await changeToFreshRead();
  const pct = (p: number) => Math.round(fresh[Math.min(fresh.length - 1, Math.floor(p * fresh.length))]! * 10) / 10;
  return {
    repeats: REPEATS,
    callsCacheOff,
    callsCacheOn,
    changeToFreshReadMs: { median: pct(0.5), p90: pct(0.9), max: Math.round(fresh.at(-1)! * 10) / 10, samples: fresh.length },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await measureCache();
  console.log(`upstream calls for ${r.repeats} repeated queries: cache off ${r.callsCacheOff}, cache on ${r.callsCacheOn}`);
  console.log(`change at WorkOS -> fresh read (webhook): median ${r.changeToFreshReadMs.median} ms, p90 ${r.changeToFreshReadMs.p90} ms, max ${r.changeToFreshReadMs.max} ms (n=${r.changeToFreshReadMs.samples})`);
  process.exit(0);
}
