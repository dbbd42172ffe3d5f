import { describe, expect, it } from 'vitest';
import { SingleFlightRefresh } from '../src/refresh.ts';

/** A refresh that finishes when told, counting its calls. */
function controlled(result = true) {
  let calls = 0;
  let finish: (ok: boolean) => void = () => undefined;
  const refresh = new SingleFlightRefresh(
    () =>
      new Promise<boolean>((resolve) => {
        calls += 1;
        finish = resolve;
      }),
  );
  return { refresh, calls: () => calls, finish: () => finish(result) };
}

describe('SingleFlightRefresh', () => {
  it('refreshes once for every request refused in the same generation', async () => {
    const { refresh, calls, finish } = controlled();
    const sentIn = refresh.current;
    const waiting = Promise.all([refresh.after(sentIn), refresh.after(sentIn), refresh.after(sentIn)]);
    finish();
    expect(await waiting).toEqual([true, true, true]);
    expect(calls()).toBe(1);
  });

  it('a request sent before the last refresh and refused after it is sent again without another refresh', async () => {
    const { refresh, calls, finish } = controlled();
    const early = refresh.current;
    const first = refresh.after(early);
    finish();
    await first;
    expect(await refresh.after(early)).toBe(true);
    expect(calls()).toBe(1);
  });

  it('a request sent after a refresh and refused refreshes again', async () => {
    const { refresh, calls, finish } = controlled();
    const first = refresh.after(refresh.current);
    finish();
    await first;
    const second = refresh.after(refresh.current);
    finish();
    expect(await second).toBe(true);
    expect(calls()).toBe(2);
  });

  it('a refresh that fails or throws answers false to everyone waiting, once', async () => {
    const { refresh, calls, finish } = controlled(false);
    const sentIn = refresh.current;
    const waiting = Promise.all([refresh.after(sentIn), refresh.after(sentIn)]);
    finish();
    expect(await waiting).toEqual([false, false]);
    expect(await refresh.after(sentIn)).toBe(false);
    expect(calls()).toBe(1);

    const throwing = new SingleFlightRefresh(() => Promise.reject(new Error('offline')));
    expect(await throwing.after(throwing.current)).toBe(false);
  });
});
