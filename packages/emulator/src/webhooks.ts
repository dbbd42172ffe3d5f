import { createHmac } from 'node:crypto';
import type { EmulatorConfig, WebhookEndpoint } from './context.ts';
import type { EventRecord } from './store.ts';

/**
 * Signed webhook delivery: each event is POSTed to every endpoint in config.webhookEndpoints
 * (read at delivery time, so endpoints added later receive later events) with
 * `WorkOS-Signature: t=<unix ms>, v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, re-signed on each
 * attempt. Failures (network error, timeout, non-2xx, redirect) are retried with short backoff;
 * nothing here ever throws into the caller.
 */

export interface WebhookDeliveryOptions {
  /** Attempts per endpoint and event, first included (default 4). */
  attempts?: number;
  /** Backoff before retry k is backoffMs * 3^(k-1) (default 100 ms: 100, 300, 900). */
  backoffMs?: number;
  /** Per-attempt timeout (default 5 s). */
  timeoutMs?: number;
  /** Called once per endpoint when every attempt failed. */
  onFailure?: (endpoint: WebhookEndpoint, event: EventRecord, error: unknown) => void;
}

export interface WebhookDelivery {
  deliver(event: EventRecord): void;
  /** Stops retries and new deliveries, then waits for the attempts already on the wire. */
  close(): Promise<void>;
}

/** The `WorkOS-Signature` header value for a raw body, as the SDK's constructEvent checks it. */
export function signWebhook(secret: string, body: string, timestampMs: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestampMs}.${body}`).digest('hex');
  return `t=${timestampMs}, v1=${v1}`;
}

/** The webhook body: the event as WorkOS posts it. */
export function webhookBody(event: EventRecord): string {
  return JSON.stringify({ id: event.id, event: event.event, data: event.data, created_at: event.created_at });
}

/** Only plain http(s) URLs; credentials in the URL or other schemes are refused. */
function deliverable(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

export function createWebhookDelivery(config: EmulatorConfig, options: WebhookDeliveryOptions = {}): WebhookDelivery {
  const attempts = Math.max(1, options.attempts ?? 4);
  const backoffMs = options.backoffMs ?? 100;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const inFlight = new Set<Promise<void>>();
  let closed = false;
  // Resolves every pending backoff at close, so close() never waits out a retry timer.
  let wake: () => void = () => {};
  let woken = new Promise<void>((resolve) => (wake = resolve));

  const sleep = (ms: number) =>
    Promise.race([new Promise<void>((resolve) => setTimeout(resolve, ms).unref()), woken]);

  async function send(endpoint: WebhookEndpoint, event: EventRecord, body: string): Promise<void> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) {
        await sleep(backoffMs * 3 ** (attempt - 2));
        if (closed) break;
      }
      try {
        const res = await fetch(endpoint.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'WorkOS Emulator Webhooks',
            'workos-signature': signWebhook(endpoint.secret, body, Date.now()),
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.status >= 200 && res.status < 300) return;
        lastError = new Error(`Webhook endpoint answered ${res.status}`);
      } catch (err) {
        lastError = err;
      }
    }
    try {
      options.onFailure?.(endpoint, event, lastError);
    } catch {
      // a failing hook must not break delivery
    }
  }

  return {
    deliver(event) {
      if (closed) return;
      let body: string;
      try {
        body = webhookBody(event);
      } catch {
        return; // unserialisable data: nothing sensible to send
      }
      for (const endpoint of config.webhookEndpoints) {
        if (!deliverable(endpoint.url)) continue;
        const task = send(endpoint, event, body).catch(() => undefined);
        inFlight.add(task);
        void task.finally(() => inFlight.delete(task));
      }
    },
    async close() {
      closed = true;
      wake();
      woken = Promise.resolve();
      await Promise.allSettled([...inFlight]);
    },
  };
}
