import { describe, expect, it } from 'vitest';
import { Readiness } from './readiness.ts';

describe('Readiness', () => {
  it('is not ready before its first check, ready when all pass, and names a failing one', async () => {
    let up = false;
    const readiness = new Readiness(0);
    readiness.add('upstream', async () => undefined);
    readiness.add('redis', async () => {
      if (!up) throw new Error('Redis is unreachable');
    });
    expect(await readiness.report()).toMatchObject({ ready: false, checks: { upstream: { ok: true }, redis: { ok: false, error: 'Redis is unreachable' } } });
    up = true;
    expect((await readiness.report()).ready).toBe(true);
  });

  it('answers from its last background run between runs, and 503s once stopping', async () => {
    let runs = 0;
    const readiness = new Readiness(60_000);
    readiness.add('upstream', async () => {
      runs++;
    });
    expect((await readiness.report()).checks.upstream).toEqual({ ok: false, error: 'not checked yet' });
    readiness.start();
    expect((await readiness.report()).ready).toBe(true);
    await readiness.report();
    expect(runs).toBe(1);
    await readiness.stop();
    expect(await readiness.report()).toEqual({ ready: false, checks: { shutdown: { ok: false, error: 'the server is shutting down' } } });
  });
});
