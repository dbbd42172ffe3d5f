import { describe, expect, it } from 'vitest';
import { Coalescer } from './coalescing.ts';

/** A start function the test finishes by hand; records each start and the signal it ran under. */
function controllableStart() {
  const starts: { signal: AbortSignal; resolve: (r: Response) => void; reject: (e: unknown) => void }[] = [];
  const start = (signal: AbortSignal) =>
    new Promise<Response>((resolve, reject) => {
      starts.push({ signal, resolve, reject });
    });
  return { starts, start };
}

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

describe('Coalescer', () => {
  it('two callers of one key share one start, and each gets its own readable copy', async () => {
    let joins = 0;
    const coalescer = new Coalescer(() => joins++);
    const { starts, start } = controllableStart();
    const a = coalescer.run('GET /organizations', new AbortController().signal, start);
    const b = coalescer.run('GET /organizations', new AbortController().signal, start);
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
    void coalescer.run('GET /a', new AbortController().signal, start);
    void coalescer.run('GET /b', new AbortController().signal, start);
    expect(starts).toHaveLength(2);
    expect(joins).toBe(0);
    starts.forEach((s) => s.resolve(json({})));
  });

  it('a failure reaches every caller', async () => {
    const coalescer = new Coalescer(() => {});
    const { starts, start } = controllableStart();
    const a = coalescer.run('k', new AbortController().signal, start);
    const b = coalescer.run('k', new AbortController().signal, start);
    starts[0].reject(new TypeError('fetch failed'));
    await expect(a).rejects.toThrow('fetch failed');
    await expect(b).rejects.toThrow('fetch failed');
  });

  it('aborts the shared signal once every caller has left', async () => {
    const coalescer = new Coalescer(() => {});
    const { starts, start } = controllableStart();
    const first = new AbortController();
    const second = new AbortController();
    const a = coalescer.run('k', first.signal, start);
    const b = coalescer.run('k', second.signal, start);
    first.abort();
    expect(starts[0].signal.aborted).toBe(false);
    second.abort();
    expect(starts[0].signal.aborted).toBe(true);
    starts[0].reject(new DOMException('aborted', 'AbortError'));
    await expect(a).rejects.toThrow('aborted');
    await expect(b).rejects.toThrow('aborted');
  });

  it('a leader leaving while another caller waits does not abort; the waiter gets the answer', async () => {
    const coalescer = new Coalescer(() => {});
    const { starts, start } = controllableStart();
    const leader = new AbortController();
    const leaderCall = coalescer.run('k', leader.signal, start);
    const waiter = coalescer.run('k', new AbortController().signal, start);
    leader.abort();
    expect(starts[0].signal.aborted).toBe(false);
    starts[0].resolve(json({ ok: true }));
    await expect((await waiter).json()).resolves.toEqual({ ok: true });
    // The leader's own promise is not cut short by its signal: it is the caller's job to stop waiting.
    await expect(leaderCall).resolves.toBeInstanceOf(Response);
  });

  it('a caller whose signal is already aborted leaves at once', async () => {
    const coalescer = new Coalescer(() => {});
    const { starts, start } = controllableStart();
    void coalescer.run('k', AbortSignal.abort(), start).catch(() => {});
    expect(starts[0].signal.aborted).toBe(true);
    starts[0].reject(new DOMException('aborted', 'AbortError'));
  });

  it('a new call after all left starts fresh instead of joining the cancelled one', async () => {
    let joins = 0;
    const coalescer = new Coalescer(() => joins++);
    const { starts, start } = controllableStart();
    const gone = new AbortController();
    const abandoned = coalescer.run('k', gone.signal, start).catch((e: unknown) => e);
    gone.abort();
    const fresh = coalescer.run('k', new AbortController().signal, start);
    expect(starts).toHaveLength(2);
    expect(joins).toBe(0);
    expect(starts[1].signal.aborted).toBe(false);
    starts[1].resolve(json({ fresh: true }));
    await expect((await fresh).json()).resolves.toEqual({ fresh: true });
    starts[0].reject(new DOMException('aborted', 'AbortError'));
    await expect(abandoned).resolves.toBeInstanceOf(DOMException);
  });

  it('a call after the shared one settled starts again', async () => {
    const coalescer = new Coalescer(() => {});
    const { starts, start } = controllableStart();
    const first = coalescer.run('k', new AbortController().signal, start);
    starts[0].resolve(json({ n: 1 }));
    await first;
    const second = coalescer.run('k', new AbortController().signal, start);
    expect(starts).toHaveLength(2);
    starts[1].resolve(json({ n: 2 }));
    await expect((await second).json()).resolves.toEqual({ n: 2 });
  });

  it('a caller who got the answer no longer counts: a later abort of its signal changes nothing', async () => {
    const coalescer = new Coalescer(() => {});
    const { starts, start } = controllableStart();
    const done = new AbortController();
    const a = coalescer.run('k', done.signal, start);
    starts[0].resolve(json({}));
    await a;
    done.abort();
    expect(starts[0].signal.aborted).toBe(false);
  });
});
