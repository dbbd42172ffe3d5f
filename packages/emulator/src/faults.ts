export interface FaultSpec {
  /** Only this method (any when absent). */
  method?: string;
  /**
   * A route template (`/organizations/:id`) or a glob over the path: `*` = any run of characters
   * within one segment, `**` = anything, `:name` = one segment.
   */
  path: string;
  /** Answer with this status (and `body`) instead of the route. Absent = only delay / drop. */
  status?: number;
  body?: unknown;
  /** Retry-After header, in seconds. */
  retryAfter?: number;
  /** Delay before answering (or before passing on to the route when no status is set). */
  latencyMs?: number;
  /** Destroy the socket without any response. */
  drop?: boolean;
  /**
   * Let the route run first, then lose its answer (drop or replace it): the change is made but
   * the client never hears of it, the case that makes a retried create dangerous.
   */
  after?: boolean;
  /** Apply to the next N matching requests only, then remove the fault. */
  times?: number;
  /** Apply to this share (0..1) of matching requests, spread evenly (deterministic). */
  fraction?: number;
}

interface ActiveFault {
  id: string;
  spec: FaultSpec;
  pattern: RegExp;
  matches: number;
  applied: number;
}

const escape = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

export function pathPattern(glob: string): RegExp {
  const parts = glob.split(/(\*\*|\*|:[A-Za-z_][A-Za-z0-9_]*)/);
  const body = parts
    .map((p) => (p === '**' ? '.*' : p === '*' ? '[^/]*' : p.startsWith(':') && p.length > 1 ? '[^/]+' : escape(p)))
    .join('');
  return new RegExp(`^${body}/?$`);
}

/**
 * Injected failures for tests. Matching is against the request path or its route template.
 * `fraction` uses an even spread (the k-th match fires when floor(k·f) grows), so a test asking
 * for 0.5 gets exactly every second request, reproducibly.
 */
export class FaultRegistry {
  private faults: ActiveFault[] = [];
  private seq = 0;

  add(spec: FaultSpec): string {
    if (typeof spec.path !== 'string' || spec.path === '') throw new TypeError('fault.path is required');
    if (spec.fraction !== undefined && !(spec.fraction >= 0 && spec.fraction <= 1)) throw new RangeError('fault.fraction must be in 0..1');
    const id = `fault_${++this.seq}`;
    this.faults.push({ id, spec: { ...spec }, pattern: pathPattern(spec.path), matches: 0, applied: 0 });
    return id;
  }

  remove(id: string): void {
    this.faults = this.faults.filter((f) => f.id !== id);
  }

  clear(): void {
    this.faults = [];
  }

  list(): Array<FaultSpec & { id: string }> {
    return this.faults.map((f) => ({ id: f.id, ...f.spec }));
  }

  /** The first fault that fires for this request, counting it as used. */
  take(method: string, path: string, route: string): FaultSpec | undefined {
    for (const f of this.faults) {
      if (f.spec.method && f.spec.method.toUpperCase() !== method.toUpperCase()) continue;
      if (!(f.pattern.test(path) || f.spec.path === route)) continue;
      if (f.spec.times !== undefined && f.applied >= f.spec.times) continue;
      f.matches++;
      const fraction = f.spec.fraction;
      if (fraction !== undefined && Math.floor(f.matches * fraction) === Math.floor((f.matches - 1) * fraction)) continue;
      f.applied++;
      if (f.spec.times !== undefined && f.applied >= f.spec.times) this.remove(f.id);
      return f.spec;
    }
    return undefined;
  }
}
