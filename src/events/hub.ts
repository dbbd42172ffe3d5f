import { createPubSub, filter, map, pipe } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import { changeOfEvent, fieldOf, staleAfter, type Change } from '../cache/invalidation.ts';
import type { UpstreamCache } from '../cache/upstream-cache.ts';
import type { SharedStore } from '../shared/store.ts';
import { SharedEventTarget } from './shared-event-target.ts';

/** A WorkOS event as the gateway passes it on: from a webhook or from the Events API. */
export interface GatewayEvent {
  id: string;
  type: string;
  organizationId: string | null;
  createdAt: string;
  data: Record<string, unknown>;
}

/** Where an event came from, for the event counters. */
export type EventSource = 'webhook' | 'follower';

/** Told of each event the hub receives, new or repeated (metrics). */
export type EventObserver = (info: { source: EventSource | undefined; type: string; applied: boolean }) => void;

/** Event ids remembered here to drop repeats: a webhook retried, or one the follower also reads. */
const SEEN_IDS = 10_000;
/** How long Redis remembers an applied event id (WorkOS retries a webhook for up to three days; replays come sooner). */
const SHARED_SEEN_SECONDS = 86_400;

/** What goes on the channels, with who sent it: the sender has dropped its cache entries already. */
interface EventMessage {
  from: string;
  event: GatewayEvent;
}
interface ChangeMessage {
  from: string;
  change: Change;
}

/**
 * Where every event arrives, once: it drops repeats (by event id, bounded memory), makes stale
 * cache entries go, then tells subscribers.
 *
 * With a shared store (several instances), the id is claimed in Redis too, so only one instance
 * applies an event however many received it; the winner publishes it and every instance (the
 * winner too) tells its subscribers, and every other instance drops its stale cache entries.
 * A write through any instance is broadcast the same way. While Redis is down each instance
 * decides repeats and delivers on its own; when it is back each drops its whole cache, since
 * it may have missed invalidations meanwhile.
 */
export class EventHub {
  private readonly seen = new LRUCache<string, true>({ max: SEEN_IDS });
  private readonly events: SharedEventTarget<EventMessage>;
  private readonly changes: SharedEventTarget<ChangeMessage>;
  private readonly pubsub: ReturnType<typeof createPubSub<{ event: [EventMessage] }>>;
  private readonly origin: string;
  /** Events this instance applied (won), whichever instances received them. */
  applied = 0;
  /** Events this instance's subscribers were told of, whichever instance applied them. */
  heard = 0;
  /** Writes through other instances whose stale cache entries this instance dropped. */
  changesHeard = 0;
  private readonly observers: EventObserver[] = [];

  constructor(
    private readonly cache: UpstreamCache | undefined,
    private readonly shared?: SharedStore,
  ) {
    this.origin = shared?.instanceId ?? 'local';
    this.events = new SharedEventTarget<EventMessage>(shared);
    this.changes = new SharedEventTarget<ChangeMessage>(shared);
    this.pubsub = createPubSub<{ event: [EventMessage] }>({ eventTarget: this.events });
    // Registered before any subscriber, so the cache is fresh by the time a subscriber reads.
    this.events.addEventListener('event', ({ detail }) => this.received(detail));
    this.changes.addEventListener('change', ({ detail }) => this.heardChange(detail));
    shared?.onChange((up) => {
      if (up) this.dropAll();
    });
    this.events.onReconnect(() => this.dropAll());
  }

  observe(observer: EventObserver): void {
    this.observers.push(observer);
  }

  /** True when the event was new and applied here; false for a repeat (or one another instance applied). Never rejects. */
  async apply(event: { id: string; event: string; createdAt: string; data: Record<string, unknown> }, source?: EventSource): Promise<boolean> {
    const isNew = await this.claim(event.id);
    if (isNew) {
      const change = changeOfEvent(event.event, event.data);
      // Here at once; the other instances when the event reaches them.
      if (change) this.cache?.invalidate(staleAfter(change));
      this.applied++;
      const published: GatewayEvent = {
        id: event.id,
        type: event.event,
        organizationId: organizationOf(event.event, event.data),
        createdAt: event.createdAt,
        data: event.data,
      };
      this.pubsub.publish('event', { from: this.origin, event: published });
    }
    for (const observer of this.observers) observer({ source, type: event.event, applied: isNew });
    return isNew;
  }

  /** A change known without an event (a write through the gateway): stale entries go now, here and on every instance. */
  changed(change: Change): void {
    this.cache?.invalidate(staleAfter(change));
    if (this.shared) this.changes.dispatchEvent(new CustomEvent('change', { detail: { from: this.origin, change } }));
  }

  subscribe(): AsyncIterable<GatewayEvent> {
    return pipe(
      this.pubsub.subscribe('event'),
      filter((message) => isGatewayEvent(message.event)),
      map((message) => message.event),
    );
  }

  /** First sighting of this id here and, with a shared store, on every instance. */
  private async claim(id: string): Promise<boolean> {
    if (this.seen.has(id)) return false;
    this.seen.set(id, true);
    const shared = this.shared;
    if (!shared) return true;
    try {
      const set = await shared.run((redis) => redis.set(shared.key('event', id), shared.instanceId, 'EX', SHARED_SEEN_SECONDS, 'NX'));
      return set === 'OK';
    } catch {
      // Redis is unreachable: this instance decides alone (a repeat delivered to another instance meanwhile is applied there too).
      return true;
    }
  }

  private received(message: EventMessage): void {
    if (!isGatewayEvent(message.event)) return;
    const { event } = message;
    this.seen.set(event.id, true);
    if (message.from !== this.origin) {
      const change = changeOfEvent(event.type, event.data);
      if (change) this.cache?.invalidate(staleAfter(change));
    }
    this.heard++;
  }

  private heardChange(message: ChangeMessage): void {
    if (message.from === this.origin || typeof message.change?.kind !== 'string' || typeof message.change.id !== 'string') return;
    this.cache?.invalidate(staleAfter(message.change));
    this.changesHeard++;
  }

  private dropAll(): void {
    this.cache?.invalidate(() => true);
  }
}

/** A message from the channel has the shape of an event (the channel is shared, not trusted blindly). */
function isGatewayEvent(value: unknown): value is GatewayEvent {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.id === 'string' && typeof v.type === 'string' && typeof v.data === 'object' && v.data !== null;
}

/** The organization an event concerns, if it names one. */
function organizationOf(type: string, data: Record<string, unknown>): string | null {
  if (type.startsWith('organization.') && typeof data.id === 'string') return data.id;
  return fieldOf(data, 'organizationId', 'organization_id') ?? null;
}
