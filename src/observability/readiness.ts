/** A readiness check: resolves when the dependency is usable, rejects with a message fit for /ready (no secrets). */
export type ReadinessCheck = () => Promise<void>;

export interface CheckState {
  ok: boolean;
  /** Why not, in a sentence with no secret in it. */
  error?: string;
  checkedAt?: string;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, CheckState>;
}

/**
 * What /ready answers: a list of named checks (upstream key, key set; other parts add theirs,
 * e.g. Redis), run at start and then every `intervalMs` in the background so probes cost no
 * upstream call — or, with intervalMs 0, at every probe.
 */
export class Readiness {
  private readonly checks = new Map<string, { run: ReadinessCheck; state: CheckState }>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopping = false;

  constructor(private readonly intervalMs: number) {}

  /** Adds a check; a check with the same name replaces it. */
  add(name: string, run: ReadinessCheck): void {
    this.checks.set(name, { run, state: { ok: false, error: 'not checked yet' } });
  }

  start(): void {
    if (this.intervalMs === 0) return;
    const tick = () => {
      this.running = this.runAll().finally(() => {
        if (!this.stopping) this.timer = setTimeout(tick, this.intervalMs).unref();
      });
    };
    tick();
  }

  /** From now on /ready answers 503 (shutting down), so load balancers stop sending. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.running;
  }

  async report(): Promise<ReadinessReport> {
    if (this.stopping) return { ready: false, checks: { shutdown: { ok: false, error: 'the server is shutting down' } } };
    if (this.intervalMs === 0) await this.runAll();
    else if (this.running) await this.running.catch(() => undefined);
    const checks = Object.fromEntries([...this.checks].map(([name, { state }]) => [name, state]));
    return { ready: Object.values(checks).every((c) => c.ok), checks };
  }

  private async runAll(): Promise<void> {
    await Promise.all(
      [...this.checks.values()].map(async (check) => {
        const checkedAt = new Date().toISOString();
        try {
          await check.run();
          check.state = { ok: true, checkedAt };
        } catch (error) {
          check.state = { ok: false, error: error instanceof Error ? error.message : 'check failed', checkedAt };
        }
      }),
    );
  }
}
