/**
 * One refresh for every request that a lapsed session refused. Each request notes the
 * generation it was sent in; a refusal from the current generation starts the refresh (or
 * joins the one under way), while a refusal of a request sent before the latest refresh
 * only needs to be sent again.
 */
export class SingleFlightRefresh {
  private generation = 0;
  private lastSucceeded = false;
  private running: Promise<boolean> | undefined;
  private readonly refresh: () => Promise<boolean>;

  constructor(refresh: () => Promise<boolean>) {
    this.refresh = refresh;
  }

  /** The generation to note when sending a request. */
  get current(): number {
    return this.generation;
  }

  /** Resolves true when the request sent in `sentIn` may be sent again with fresh credentials. */
  after(sentIn: number): Promise<boolean> {
    if (sentIn !== this.generation) return Promise.resolve(this.lastSucceeded);
    this.running ??= this.refresh()
      .catch(() => false)
      .then((ok) => {
        this.lastSucceeded = ok;
        this.generation += 1;
        this.running = undefined;
        return ok;
      });
    return this.running;
  }
}
