/**
 * Cross-request cache: upstream calls for 1,000 repeated queries with the cache off and on, and
 * the time from a change made at WorkOS (the emulator) to the gateway serving it (webhook path).
 * Run: npx tsx bench/cache.ts
 */
import { post, type Stack } from '../test/support/stack.ts';
import { startEventsStack, upstream } from '../test/events/helpers.ts';

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
      for (;;) {
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

const off = await callsPerRepeats('0');
const on = await callsPerRepeats('30000');
const fresh = await changeToFreshRead();
const pct = (p: number) => fresh[Math.min(fresh.length - 1, Math.floor(p * fresh.length))]!.toFixed(1);
console.log(`upstream calls for ${REPEATS} repeated queries: cache off ${off}, cache on ${on}`);
console.log(`change at WorkOS -> fresh read (webhook): median ${pct(0.5)} ms, p90 ${pct(0.9)} ms, max ${fresh.at(-1)!.toFixed(1)} ms (n=${fresh.length})`);
