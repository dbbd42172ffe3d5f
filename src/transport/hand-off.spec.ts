import { describe, expect, it } from 'vitest';
import { Coalescer } from './coalescing.ts';
import type { CallScope } from './call-scope.ts';
import { HandOff } from './hand-off.ts';

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
const scopeOf = (deadline: number, signal = new AbortController().signal): CallScope => ({ signal, tenant: 't', deadline });

/** What a request does with its answer: several steps of promise-chained work, as execution does. */
async function work(name: string, log: string[], answer: Promise<unknown>): Promise<void> {
  await answer;
  log.push(`${name} got`);
  for (let step = 0; step < 5; step++) await Promise.resolve();
  log.push(`${name} done`);
}

describe('HandOff', () => {
  it('runs one waiter per turn, nearest deadline first, each after the previous one’s own work', async () => {
    const handOff = new HandOff();
    const log: string[] = [];
    const finished = [3, 1, 2].map((deadline) => {
      const answer = new Promise<void>((resolve) => handOff.give(deadline, resolve));
      return work(`d${deadline}`, log, answer);
    });
    await Promise.all(finished);
    expect(log).toEqual(['d1 got', 'd1 done', 'd2 got', 'd2 done', 'd3 got', 'd3 done']);
  });

  it('lets the event loop turn between two waiters: what the first queued for the loop runs before the second', async () => {
    const handOff = new HandOff();
    const log: string[] = [];
    handOff.give(1, () => {
      log.push('first');
      setImmediate(() => log.push('first’s next step'));
    });
    await new Promise<void>((resolve) =>
      handOff.give(2, () => {
        log.push('second');
        resolve();
      }),
    );
    expect(log).toEqual(['first', 'first’s next step', 'second']);
  });
});

describe('a shared answer handed off', () => {
  it('the requests that joined one call resume one at a time, not all together', async () => {
    const coalescer = new Coalescer(() => {});
    let answer!: (r: Response) => void;
    const start = () => new Promise<Response>((resolve) => (answer = resolve));
    const log: string[] = [];
    const requests = [0, 1, 2].map((i) => work(`r${i}`, log, coalescer.run('k', scopeOf(Date.now() + 1_000 + i), start).then((r) => r.json())));
    answer(json({ ok: true }));
    await Promise.all(requests);
    expect(log).toEqual(['r0 got', 'r0 done', 'r1 got', 'r1 done', 'r2 got', 'r2 done']);
  });

  it('a waiter that leaves while waiting for its turn gets its error; the rest still get the answer', async () => {
    const coalescer = new Coalescer(() => {});
    let answer!: (r: Response) => void;
    const start = () => new Promise<Response>((resolve) => (answer = resolve));
    const leaving = new AbortController();
    const first = coalescer.run('k', scopeOf(Date.now() + 1_000), start);
    const gone = coalescer.run('k', scopeOf(Date.now() + 2_000, leaving.signal), start);
    const last = coalescer.run('k', scopeOf(Date.now() + 3_000), start);
    answer(json({ n: 1 }));
    // The first waiter's turn: the other two are waiting for theirs when one of them leaves.
    await first;
    leaving.abort();
    await expect(gone).rejects.toThrow('cancelled');
    await expect((await last).json()).resolves.toEqual({ n: 1 });
  });
});
