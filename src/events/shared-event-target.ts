import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import type { SharedStore } from '../shared/store.ts';

/** The library's target type (graphql-yoga's TypedEventTarget), which createPubSub takes. */
type EventTargetOf<TDetail> = ReturnType<typeof createRedisEventTarget<CustomEvent<TDetail>>>;
type Listener<TDetail> = ((event: CustomEvent<TDetail>) => void) | { handleEvent(event: CustomEvent<TDetail>): void };

/** A message on a channel that is not JSON (another program on the same Redis) is dropped, not thrown. */
const serializer = {
  stringify: (message: unknown) => JSON.stringify(message),
  parse: (message: string): unknown => {
    try {
      return JSON.parse(message);
    } catch {
      return null;
    }
  },
};

/**
 * The event target of the gateway's pub/sub (graphql-yoga's `createPubSub({ eventTarget })`):
 * with a shared store, every instance hears what any instance dispatches, itself included.
 *
 * It receives through @graphql-yoga/redis-event-target (one listener per topic there, on the
 * store's subscriber connection, attached once that connection is ready and never removed)
 * and fans out to its own listeners. It publishes itself: the library's dispatchEvent does not
 * await its PUBLISH, so a Redis outage would end as an unhandled rejection. Here the PUBLISH is
 * awaited and caught, and while Redis is down (or our subscriber connection is, so the message
 * would not come back) the event is delivered to this instance's listeners only.
 * Without a store it is a plain in-process event target.
 */
export class SharedEventTarget<TDetail> implements EventTargetOf<TDetail> {
  private readonly listeners = new Map<string, Set<Listener<TDetail>>>();
  private readonly redisTarget: EventTargetOf<unknown> | undefined;
  /** Topics whose channel the library's target listens to. */
  private readonly attached = new Set<string>();
  private readonly reconnectListeners: (() => void)[] = [];

  constructor(private readonly store?: SharedStore) {
    if (!store) return;
    this.redisTarget = createRedisEventTarget({ publishClient: store.redis, subscribeClient: store.subscriber, serializer });
    let connectedBefore = false;
    // Not before: a SUBSCRIBE would make the lazy connection connect on its own, ahead of store.connect().
    store.subscriber.on('ready', () => {
      for (const topic of this.listeners.keys()) this.attach(topic);
      // ioredis resubscribes after a reconnect; what was published meanwhile was missed.
      if (connectedBefore) for (const listener of this.reconnectListeners) listener();
      connectedBefore = true;
    });
  }

  /** Called each time the subscriber connection is back after a loss: messages sent meanwhile never arrived. */
  onReconnect(listener: () => void): void {
    this.reconnectListeners.push(listener);
  }

  addEventListener(topic: string, callback: Listener<TDetail> | null): void {
    if (!callback) return;
    let set = this.listeners.get(topic);
    if (!set) this.listeners.set(topic, (set = new Set()));
    set.add(callback);
    if (this.store?.subscriber.status === 'ready') this.attach(topic);
  }

  removeEventListener(topic: string, callback: Listener<TDetail> | null): void {
    if (callback) this.listeners.get(topic)?.delete(callback);
  }

  dispatchEvent(event: CustomEvent<TDetail>): boolean {
    void this.send(event.type, event.detail);
    return true;
  }

  /** Never rejects: a failed PUBLISH becomes a local delivery. */
  private async send(topic: string, detail: TDetail): Promise<void> {
    const store = this.store;
    if (store?.up()) {
      try {
        await store.run((redis) => redis.publish(this.channel(topic), serializer.stringify(detail)));
        // It comes back to this instance through its own subscription, like to every other one.
        if (this.attached.has(topic) && store.subscriber.status === 'ready') return;
      } catch {
        // Redis is down: the store has noted it; this instance's listeners are told below.
      }
    }
    this.deliver(topic, detail);
  }

  private attach(topic: string): void {
    if (!this.redisTarget || this.attached.has(topic)) return;
    this.attached.add(topic);
    this.redisTarget.addEventListener(this.channel(topic), (event) => {
      if (event.detail !== null) this.deliver(topic, event.detail as TDetail);
    });
  }

  private deliver(topic: string, detail: TDetail): void {
    const event = new CustomEvent(topic, { detail });
    for (const listener of [...(this.listeners.get(topic) ?? [])]) {
      try {
        if (typeof listener === 'function') listener(event);
        else listener.handleEvent(event);
      } catch {
        // One listener's failure (e.g. a subscriber's full buffer) must not keep the event from the others.
      }
    }
  }

  private channel(topic: string): string {
    return this.store ? this.store.key('pubsub', topic) : topic;
  }
}
