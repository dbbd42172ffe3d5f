/** A call as the upstream saw it: when it arrived and when its answer was ready. */
export interface TimedCall {
  startedAt: number;
  endedAt: number;
}

/**
 * Sequential rounds of calls: a call is in the wave after the latest wave of any call that had
 * ended before it started. With latency injected upstream, this is what a user waits for.
 */
export function wavesOf(calls: TimedCall[]): number {
  const sorted = [...calls].sort((a, b) => a.startedAt - b.startedAt);
  const wave: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    let before = 0;
    for (let j = 0; j < i; j++) if (sorted[j].endedAt <= sorted[i].startedAt) before = Math.max(before, wave[j]);
    wave.push(before + 1);
  }
  return Math.max(0, ...wave);
}
