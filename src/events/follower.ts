import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { EventName, WorkOS } from '@workos-inc/node';
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
 * Follows the Events API from a cursor kept in a file, so events published while the gateway
 * was down are applied when it comes back. Calls go through the SDK, hence through the queue.
 */
export class EventsFollower {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly workos: WorkOS,
    private readonly hub: EventHub,
    private readonly options: {
      pollMs: number;
      cursorFile: string;
      /** Told of a poll that failed (it is tried again from the same cursor). */
      onError?: (error: unknown) => void;
    },
  ) {}

  start(): void {
    this.stopped = false;
    const tick = () => {
      this.running = this.poll()
        .then(() => undefined)
        .catch((error: unknown) => this.options.onError?.(error)) // the next tick tries again from the same cursor
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
  }

  /** Reads every event after the cursor, oldest first; returns how many were new. */
  async poll(): Promise<number> {
    let after = await this.readCursor();
    if (after === undefined) {
      // First start: nothing is cached yet, so history before now cannot be stale; begin at the newest.
      const newest = await this.workos.events.listEvents({ events: FOLLOWED_EVENTS, limit: 1, order: 'desc' });
      await this.writeCursor(newest.data[0]?.id ?? null);
      return 0;
    }
    let applied = 0;
    for (;;) {
      const page = await this.workos.events.listEvents({ events: FOLLOWED_EVENTS, limit: PAGE, order: 'asc', ...(after ? { after } : {}) });
      for (const event of page.data) {
        if (this.hub.apply({ id: event.id, event: event.event, createdAt: event.createdAt, data: dataOf(event.data) }, 'follower')) applied++;
      }
      const last = page.data.at(-1)?.id;
      if (!last) break;
      after = last;
      await this.writeCursor(after);
      if (page.data.length < PAGE || this.stopped) break;
    }
    return applied;
  }

  /** undefined: no cursor yet; null: a cursor from before any event existed. */
  private async readCursor(): Promise<string | null | undefined> {
    try {
      const parsed: unknown = JSON.parse(await readFile(this.options.cursorFile, 'utf8'));
      if (typeof parsed === 'object' && parsed !== null && 'after' in parsed) {
        const { after } = parsed as { after: unknown };
        if (after === null || typeof after === 'string') return after;
      }
      return undefined;
    } catch {
      return undefined;
    }
  }

  /** Written whole then renamed, so a crash never leaves half a cursor. */
  private async writeCursor(after: string | null): Promise<void> {
    await mkdir(dirname(this.options.cursorFile), { recursive: true });
    const tmp = `${this.options.cursorFile}.tmp`;
    await writeFile(tmp, `${JSON.stringify({ after })}\n`);
    await rename(tmp, this.options.cursorFile);
  }
}
