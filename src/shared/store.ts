import { randomUUID } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import type { SharedStateConfig } from '../config/shared-state.ts';

/** Thrown (and caught by every part) when shared state cannot be reached: the part uses its local share. */
export class SharedStateUnavailable extends Error {
  override name = 'SharedStateUnavailable';
  constructor(cause?: unknown) {
    super('shared state (Redis) is unreachable', { cause });
  }
}

/** Told when shared state is lost and when it is back (logs, metrics, cache flush). */
export interface SharedStateObserver {
  lost(error: unknown): void;
  restored(): void;
}

/** Keys set per round trip by setAll (e.g. what an instance remembered while Redis was down). */
const SET_CHUNK = 500;

/** How often an instance that lost Redis tries it again (ms). */
const PROBE_MS = 1000;

/**
 * One instance's connection to the state every instance shares (Redis through ioredis): the
 * rate buckets, event ids and cursor, follower lease, sign-in counters, export owners and signed
 * out sessions. Commands never wait for a connection (no offline queue) and time out after
 * `commandTimeoutMs`: a part whose command fails falls back to its local share at once, and
 * this store probes Redis until it answers again. A second connection carries pub/sub (events
 * and cache invalidations), which ioredis resubscribes after every reconnect.
 */
export class SharedStore {
  readonly redis: Redis;
  readonly subscriber: Redis;
  /** This process among the instances (the follower lease's holder, the pub/sub sender). */
  readonly instanceId = randomUUID();
  private healthy = false;
  /** Lost at least once (or never reached): the next 'up' is a recovery worth reporting. */
  private lost = false;
  private probe: NodeJS.Timeout | undefined;
  private closing = false;
  private readonly listeners: ((up: boolean) => void)[] = [];

  constructor(
    readonly config: SharedStateConfig & { redisUrl: string },
    private readonly observer?: SharedStateObserver,
  ) {
    const common: RedisOptions = {
      lazyConnect: true,
      connectionName: `workos-gateway:${this.instanceId.slice(0, 8)}`,
      // Keep trying for ever, at most every 2 s: the instance serves on its local share meanwhile.
      retryStrategy: (times) => Math.min(100 * times, 2000),
    };
    this.redis = new Redis(config.redisUrl, { ...common, enableOfflineQueue: false, commandTimeout: config.commandTimeoutMs, maxRetriesPerRequest: 1 });
    // The subscriber queues its SUBSCRIBEs until connected and never gives up on them.
    this.subscriber = new Redis(config.redisUrl, { ...common, enableOfflineQueue: true, maxRetriesPerRequest: null });
    this.redis.on('ready', () => this.markUp());
    this.redis.on('error', (error: unknown) => this.markDown(error));
    this.redis.on('close', () => this.markDown(new Error('connection closed')));
    // Errors of the subscriber show on the command connection too; without a listener ioredis prints them.
    this.subscriber.on('error', () => undefined);
  }

  /** Connects both connections, waiting at most `waitMs`; an instance that cannot starts on its local share. */
  async connect(waitMs = 2000): Promise<void> {
    const connecting = Promise.all([this.redis.connect(), this.subscriber.connect()]).then(
      () => true,
      () => false,
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), waitMs);
    });
    const connected = await Promise.race([connecting, timeout]);
    clearTimeout(timer);
    if (!connected) this.markDown(new Error('could not connect at start'));
  }

  /** True while commands reach Redis. */
  up(): boolean {
    return this.healthy;
  }

  /** Called with true when shared state is back, false when it is lost. */
  onChange(listener: (up: boolean) => void): void {
    this.listeners.push(listener);
  }

  /** A key or channel of this gateway: the prefix, then the parts. */
  key(...parts: string[]): string {
    return `${this.config.keyPrefix}${parts.join(':')}`;
  }

  /**
   * Runs commands against Redis; throws SharedStateUnavailable at once while it is down, and
   * when the commands fail (then it is down until a probe answers).
   */
  async run<T>(commands: (redis: Redis) => Promise<T>): Promise<T> {
    if (!this.healthy) throw new SharedStateUnavailable();
    try {
      return await commands(this.redis);
    } catch (error) {
      // A script's own error is a bug, not an outage; anything else means Redis is not answering.
      if (error instanceof Error && /^(ERR|NOSCRIPT|WRONGTYPE)/.test(error.message)) throw error;
      this.markDown(error);
      throw new SharedStateUnavailable(error);
    }
  }

  /** `run` for a read that may miss: `fallback` while Redis is unreachable (other errors still throw). */
  async read<T, F>(commands: (redis: Redis) => Promise<T>, fallback: F): Promise<T | F> {
    try {
      return await this.run(commands);
    } catch (error) {
      if (error instanceof SharedStateUnavailable) return fallback;
      throw error;
    }
  }

  /**
   * Sets keys with a lifetime, a chunk of `SET_CHUNK` per round trip (`onlyIfAbsent`: a key
   * Redis has keeps its value and expiry). Never rejects: false when Redis did not take them all.
   */
  async setAll(entries: { key: string; value: string; ttlMs: number; onlyIfAbsent?: boolean }[]): Promise<boolean> {
    try {
      for (let i = 0; i < entries.length; i += SET_CHUNK) {
        const chunk = entries.slice(i, i + SET_CHUNK);
        await this.run(async (redis) => {
          const pipeline = redis.pipeline();
          for (const { key, value, ttlMs, onlyIfAbsent } of chunk) {
            if (onlyIfAbsent) pipeline.set(key, value, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX');
            else pipeline.set(key, value, 'PX', Math.max(1, Math.ceil(ttlMs)));
          }
          const failed = (await pipeline.exec())?.find(([error]) => error);
          if (failed?.[0]) throw failed[0];
        });
      }
      return true;
    } catch {
      return false;
    }
  }

  /** For /ready: fails (with a message and no secret) while shared state is unreachable. */
  async check(): Promise<void> {
    if (this.healthy) {
      try {
        await this.redis.ping();
        return;
      } catch (error) {
        this.markDown(error);
      }
    }
    throw new Error('Redis is unreachable: this instance serves on its local share of each limit');
  }

  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.probe);
    await Promise.all([this.redis, this.subscriber].map((c) => c.quit().catch(() => c.disconnect())));
  }

  private markUp(): void {
    if (this.healthy || this.closing) return;
    this.healthy = true;
    clearTimeout(this.probe);
    this.probe = undefined;
    if (this.lost) this.observer?.restored();
    for (const listener of this.listeners) listener(true);
  }

  private markDown(error: unknown): void {
    if (this.closing) return;
    const wasUp = this.healthy;
    this.healthy = false;
    if (wasUp || !this.lost) {
      this.lost = true;
      this.observer?.lost(error);
      for (const listener of this.listeners) listener(false);
    }
    this.scheduleProbe();
  }

  /** While down, asks Redis every PROBE_MS; ioredis' own reconnect marks it up too ('ready'). */
  private scheduleProbe(): void {
    if (this.probe || this.closing) return;
    this.probe = setTimeout(() => {
      this.probe = undefined;
      if (this.healthy || this.closing) return;
      if (this.redis.status !== 'ready') return this.scheduleProbe();
      this.redis.ping().then(
        () => this.markUp(),
        () => this.scheduleProbe(),
      );
    }, PROBE_MS);
    this.probe.unref();
  }
}
