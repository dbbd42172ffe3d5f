import { createPubSub } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import { changeOfEvent, fieldOf, staleAfter, type Change } from '../cache/invalidation.ts';
import type { UpstreamCache } from '../cache/upstream-cache.ts';

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

/** Event ids remembered to drop repeats: a webhook retried, or one the follower also reads. */
const SEEN_IDS = 10_000;

/**
 * Where every event arrives, once: it drops repeats (by event id, bounded memory), makes stale
 * cache entries go, then tells subscribers.
 */
export class EventHub {
  private readonly seen = new LRUCache<string, true>({ max: SEEN_IDS });
  private readonly pubsub = createPubSub<{ workosEvent: [GatewayEvent] }>();
  applied = 0;
  private readonly observers: EventObserver[] = [];

  constructor(private readonly cache: UpstreamCache | undefined) {}

  observe(observer: EventObserver): void {
    this.observers.push(observer);
  }

  /** True when the event was new and applied; false for a repeat. */
  apply(event: { id: string; event: string; createdAt: string; data: Record<string, unknown> }, source?: EventSource): boolean {
    const isNew = this.applyOnce(event);
    for (const observer of this.observers) observer({ source, type: event.event, applied: isNew });
    return isNew;
  }

  private applyOnce(event: { id: string; event: string; createdAt: string; data: Record<string, unknown> }): boolean {
    if (this.seen.has(event.id)) return false;
    this.seen.set(event.id, true);
    const change = changeOfEvent(event.event, event.data);
    if (change) this.changed(change);
    this.applied++;
    this.pubsub.publish('workosEvent', {
      id: event.id,
      type: event.event,
      organizationId: organizationOf(event.event, event.data),
      createdAt: event.createdAt,
      data: event.data,
    });
    return true;
  }

  /** A change known without an event (a write through the gateway): stale entries go now. */
  changed(change: Change): void {
    this.cache?.invalidate(staleAfter(change));
  }

  subscribe(): AsyncIterable<GatewayEvent> {
    return this.pubsub.subscribe('workosEvent');
  }
}

/** The organization an event concerns, if it names one. */
function organizationOf(type: string, data: Record<string, unknown>): string | null {
  if (type.startsWith('organization.') && typeof data.id === 'string') return data.id;
  return fieldOf(data, 'organizationId', 'organization_id') ?? null;
}
