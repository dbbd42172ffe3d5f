import { describe, expect, it } from 'vitest';
import type { CallScope } from './call-scope.ts';
import { Coalescer } from './coalescing.ts';
import { FairScheduler } from './scheduler.ts';
import { LocalGate } from './bucket-gate.ts';
import { RateBuckets, WORKOS_RATE_LIMITS } from './rate-buckets.ts';
import { emptyStats } from './stats.ts';

/** A waiter's scope: its signal, tenant and deadline (far away unless told). */
const scopeOf = (signal: AbortSignal, tenant = 't', deadline = Date.now() + 60_000): CallScope => ({ signal, tenant, deadline });

/** A start function the test finishes by hand; records each start and the signal it ran under. */
function controllableStart() {
  const starts: { signal: AbortSignal; resolve: (r: Response) => void; reject: (e: unknown) => void }[] = [];
  const start = (scope: CallScope) =>
    new Promise<Response>((resolve, reject) => {
      starts.push({ signal: scope.signal, resolve, reject });
    });
  return { starts, start };
}

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

describe('Coalescer', () => {
  it('two callers of one key share one start, and each gets its own readable copy', async () => {
    let joins = 0;
    const coalescer = new Coalescer(() => joins++);
    const { starts, start } = controllableStart();
    const a = coalescer.run('GET /organizations', scopeOf(new AbortController().signal), start);
    const b = coalescer.run('GET /organizations', scopeOf(new AbortController().signal), start);
    expect(starts).toHaveLength(1);
    expect(joins).toBe(1);
    starts[0].resolve(json({ data: [1, 2] }));
    const [ra, rb] = await Promise.all([a, b]);
    expect(ra).not.toBe(rb);
    await expect(ra.json()).resolves.toEqual({ data: [1, 2] });
    // The first body being consumed does not consume the second.
    await expect(rb.json()).resolves.toEqual({ data: [1, 2] });
    expect(rb.headers.get('content-type')).toBe('application/json');
  });

  it('different keys do not share', async () => {
    let joins = 0;
    const coalescer = new Coalescer(() => joins++);
    const { starts, start } = controllableStart();
    void coalescer.run('GET /a', scopeOf(new AbortController().signal), start);
    void coalescer.run('GET /b', scopeOf(new AbortController().signal), start);
    expect(starts).toHaveLength(2);
    expect(joins).toBe(0);
    starts.forEach((s) => s.resolve(json({})));
  });

  it('a failure reaches every caller', async () => {
    const coalescer = new Coalescer(() => {});
    const { starts, start } = controllableStart();
    const a = coalescer.run('k', scopeOf(new AbortController().signal), start);
    const b = coalescer.run('k', scopeOf(new AbortController().signal), start);
    starts[0].reject(new TypeError('fetch failed'));
    await expect(a).rejects.toThrow('fetch failed');
    await expect(b).rejects.toThrow('fetch failed');
  });

  it('aborts the shared signal once every caller has left', async () => {
    const coalescer = new Coalescer(() => {});
    const { starts, start } = controllableStart();
    const first = new AbortController();
    const second = new AbortController();
    const a = coalescer.run('k', scopeOf(first.signal), start);
    const b = coalescer.run('k', scopeOf(second.signal), start);
    first.abort();
    expect(starts[0].signal.aborted).toBe(false);
    second.abort();
    expect(starts[0].signal.aborted).toBe(true);
    starts[0].reject(new DOMException('aborted', 'AbortError'));
    await expect(a).rejects.toThrow('cancelled');
    await expect(b).rejects.toThrow('cancelled');
  });

  it('a leader leaving while another caller waits does not abort; the leader gets its error at once, the waiter the answer', async () => {
    const coalescer = new Coalescer(() => {});
    const { starts, start } = controllableStart();
    const leader = new AbortController();
    const leaderCall = coalescer.run('k', scopeOf(leader.signal), start);
    const waiter = coalescer.run('k', scopeOf(new AbortController().signal), start);
    leader.abort();
    expect(starts[0].signal.aborted).toBe(false);
    await expect(leaderCall).rejects.toThrow('cancelled');
    starts[0].resolve(json({ ok: true }));
    await expect((await waiter).json()).resolves.toEqual({ ok: true });
  });

  it('a caller whose signal is already aborted leaves at once', async () => {
    const coalescer = new Coalescer(() => {});
    const { starts, start } = controllableStart();
    void coalescer.run('k', scopeOf(AbortSignal.abort()), start).catch(() => {});
    expect(starts[0].signal.aborted).toBe(true);
    starts[0].reject(new DOMException('aborted', 'AbortError'));
  });

  it('a new call after all left starts fresh instead of joining the cancelled one', async () => {
    let joins = 0;
    const coalescer = new Coalescer(() => joins++);
    const { starts, start } = controllableStart();
    const gone = new AbortController();
    const abandoned = coalescer.run('k', scopeOf(gone.signal), start).catch((e: unknown) => e);
    gone.abort();
    const fresh = coalescer.run('k', scopeOf(new AbortController().signal), start);
    expect(starts).toHaveLength(2);
    expect(joins).toBe(0);
    expect(starts[1].signal.aborted).toBe(false);
    starts[1].resolve(json({ fresh: true }));
    await expect((await fresh).json()).resolves.toEqual({ fresh: true });
    starts[0].reject(new DOMException('aborted', 'AbortError'));
    await expect(abandoned).resolves.toBeInstanceOf(Error);
  });

  it('a call after the shared one settled starts again', async () => {
    const coalescer = new Coalescer(() => {});
    const { starts, start } = controllableStart();
    const first = coalescer.run('k', scopeOf(new AbortController().signal), start);
    starts[0].resolve(json({ n: 1 }));
    await first;
    const second = coalescer.run('k', scopeOf(new AbortController().signal), start);
    expect(starts).toHaveLength(2);
    starts[1].resolve(json({ n: 2 }));
    await expect((await second).json()).resolves.toEqual({ n: 2 });
  });

  it('a caller who got the answer no longer counts: a later abort of its signal changes nothing', async () => {
    const coalescer = new Coalescer(() => {});
    const { starts, start } = controllableStart();
    const done = new AbortController();
    const a = coalescer.run('k', scopeOf(done.signal), start);
    starts[0].resolve(json({}));
    await a;
    done.abort();
    expect(starts[0].signal.aborted).toBe(false);
  });

  it('the shared scope waits in every waiter’s lane until the latest deadline, and follows them as they leave', async () => {
    const coalescer = new Coalescer(() => {});
    let shared: CallScope | undefined;
    const started = new Promise<void>((ready) => {
      void coalescer.run('k', scopeOf(new AbortController().signal, 'flooder', Date.now() + 1_000), (scope) => {
        shared = scope;
        ready();
        return new Promise<Response>(() => {});
      });
    });
    await started;
    const joiner = new AbortController();
    void coalescer.run('k', scopeOf(joiner.signal, 'quiet', Date.now() + 5_000), () => Promise.reject(new Error('not started twice'))).catch(() => {});
    expect(shared!.lanes!()).toEqual(['flooder', 'quiet']);
    expect(shared!.deadline).toBeGreaterThan(Date.now() + 4_000);
    joiner.abort();
    expect(shared!.lanes!()).toEqual(['flooder']);
    expect(shared!.deadline).toBeLessThan(Date.now() + 2_000);
  });

  it('a waiter whose own deadline passes before the call is sent leaves with a deadline error; the others keep it', async () => {
    const coalescer = new Coalescer(() => {});
    const { starts, start } = controllableStart();
    const hurried = coalescer.run('k', scopeOf(new AbortController().signal, 'a', Date.now() + 20), start);
    const patient = coalescer.run('k', scopeOf(new AbortController().signal, 'b'), start);
    await expect(hurried).rejects.toThrow('budget');
    expect(starts[0].signal.aborted).toBe(false);
    starts[0].resolve(json({ ok: 1 }));
    await expect((await patient).json()).resolves.toEqual({ ok: 1 });
  });
});

describe('a shared call in the scheduler', () => {
  it('is served at the turn of the waiter whose lane comes first, not behind the first caller’s queue', async () => {
    const stats = emptyStats();
    const scheduler = new FairScheduler(1, 1, new LocalGate(new RateBuckets({ ...WORKOS_RATE_LIMITS })), () => stats);
    const order: string[] = [];
    const run = async (name: string, scope: CallScope) => {
      const admission = { scope, buckets: [] };
      await scheduler.admit(admission);
      order.push(name);
      await Promise.resolve();
      scheduler.release(admission);
    };
    const flood = new AbortController().signal;
    // One call in flight holds the only slot; the flooder queues ten more, then its shared read.
    const firstCall = { scope: scopeOf(flood, 'flooder'), buckets: [] };
    await scheduler.admit(firstCall);
    const floodCalls = Array.from({ length: 10 }, (_, i) => run(`flood-${i}`, scopeOf(flood, 'flooder')));
    const coalescer = new Coalescer(() => {});
    const shared = coalescer.run('GET /organizations/org_1', scopeOf(flood, 'flooder'), (scope) => run('shared', scope).then(() => json({})));
    const quiet = coalescer.run('GET /organizations/org_1', scopeOf(new AbortController().signal, 'quiet'), () => Promise.reject(new Error('joined, not started')));
    scheduler.release(firstCall);
    await Promise.all([...floodCalls, shared, quiet]);
    // The quiet tenant's turn came after one flood call, not after all ten.
    expect(order.indexOf('shared')).toBeLessThanOrEqual(1);
    expect(order).toHaveLength(11);
  });
});
