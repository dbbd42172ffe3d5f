import type { EventName, WorkOS } from '@workos-inc/node';
import { SharedStateUnavailable, type SharedStore } from '../shared/store.ts';
import { FileCursor, LeasedCursor, type FollowerCursor } from './follower-cursor.ts';
import type { EventHub } from './hub.ts';
import { dataOf } from './webhook-endpoint.ts';

/** The event types that can make a cached read stale or that subscribers may want. */
export const FOLLOWED_EVENTS: EventName[] = [
  'organization.created',
  'organization.updated',
  'organization.deleted',
  'organization_domain.created',
  'organization_domain.updated',
  'organization_domain.deleted',
  'organization_domain.verified',
  'organization_domain.verification_failed',
  'organization_membership.created',
  'organization_membership.updated',
  'organization_membership.deleted',
  'user.created',
  'user.updated',
  'user.deleted',
  'dsync.activated',
  'dsync.deleted',
  'dsync.user.created',
  'dsync.user.updated',
  'dsync.user.deleted',
  'dsync.group.created',
  'dsync.group.updated',
  'dsync.group.deleted',
  'dsync.group.user_added',
  'dsync.group.user_removed',
  'connection.activated',
  'connection.deactivated',
  'connection.deleted',
];

const PAGE = 100;

/**
 * Follows the Events API from a cursor, so events published while the gateway was down are
 * applied when it comes back. Calls go through the SDK, hence through the queue. With one
 * instance the cursor is a file; with a shared store only the holder of a lease in Redis
 * follows, from a cursor kept there (src/events/follower-cursor.ts).
 */
export class EventsFollower {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly cursor: FollowerCursor;
  /** Polls tried, and Events API reads made (only the lease holder reads). */
  ticks = 0;
  reads = 0;

  constructor(
    private readonly workos: WorkOS,
    private readonly hub: EventHub,
    private readonly options: {
      pollMs: number;
      cursorFile: string;
      /** Shared state: the cursor and a lease in Redis instead of the file. */
      shared?: SharedStore;
      /** Told of a poll that failed (it is tried again from the same cursor). */
      onError?: (error: unknown) => void;
    },
  ) {
    this.cursor = options.shared ? new LeasedCursor(options.shared) : new FileCursor(options.cursorFile);
  }

  start(): void {
    this.stopped = false;
    const tick = () => {
      this.running = this.poll()
        .then(() => undefined)
        .catch((error: unknown) => {
          // The store reports an outage once; the next tick tries again from the same cursor.
          if (!(error instanceof SharedStateUnavailable)) this.options.onError?.(error);
        })
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.options.pollMs).unref();
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await this.cursor.release();
  }

  /** Reads every event after the cursor, oldest first; returns how many were new. */
  async poll(): Promise<number> {
    this.ticks++;
    if (!(await this.cursor.claim())) return 0; // another instance follows, or shared state is down
    let after = await this.cursor.read();
    if (after === undefined) {
      // First start: nothing is cached yet, so history before now cannot be stale; begin at the newest.
      const newest = await this.list({ limit: 1, order: 'desc' });
      await this.cursor.write(newest.data[0]?.id ?? null);
      return 0;
    }
    let applied = 0;
    for (;;) {
      const page = await this.list({ limit: PAGE, order: 'asc', ...(after ? { after } : {}) });
      for (const event of page.data) {
        // Lease lost (or Redis gone) mid-page: the next holder applies the rest from the shared cursor.
        if (!this.cursor.held()) return applied;
        if (await this.hub.apply({ id: event.id, event: event.event, createdAt: event.createdAt, data: dataOf(event.data) }, 'follower')) applied++;
      }
      const last = page.data.at(-1)?.id;
      if (!last) break;
      after = last;
      if (!(await this.cursor.write(after))) break;
      if (page.data.length < PAGE || this.stopped) break;
    }
    return applied;
  }

  private list(options: { limit: number; order: 'asc' | 'desc'; after?: string }) {
    this.reads++;
    return this.workos.events.listEvents({ events: FOLLOWED_EVENTS, ...options });
  }
}
