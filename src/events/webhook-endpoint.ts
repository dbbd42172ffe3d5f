import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WorkOS } from '@workos-inc/node';
import type { EventHub } from './hub.ts';

export const WEBHOOK_PATH = '/webhooks/workos';

export interface WebhookEndpointOptions {
  /** WORKOS_WEBHOOK_SECRET; without one the endpoint answers 404 (nothing could be verified). */
  secret: string | undefined;
  toleranceMs: number;
  maxBytes: number;
}

/** A node:http route in front of yoga: true when it took the request. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * POST /webhooks/workos: verifies `WorkOS-Signature` over the raw body with the SDK, answers
 * 200 at once and applies the event after (WorkOS retries slow endpoints). Every refusal is a
 * bare status with no detail, so a prober learns nothing about the secret or the check.
 */
export function webhookEndpoint(workos: WorkOS, hub: EventHub, options: WebhookEndpointOptions): RouteHandler {
  return (req, res) => {
    if (new URL(req.url ?? '/', 'http://gateway').pathname !== WEBHOOK_PATH) return false;
    void handle(req, res).catch(() => answer(res, 400));
    return true;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!options.secret) return answer(res, 404);
    if (req.method !== 'POST') return answer(res, 405);
    const raw = await readBody(req, options.maxBytes);
    if (raw === null) return answer(res, 413);
    const sigHeader = req.headers['workos-signature'];
    // The SDK lets a non-numeric timestamp skip its age check; such a header is never genuine.
    const signedAt = typeof sigHeader === 'string' ? /^\s*t=(\d+)\s*,/.exec(sigHeader)?.[1] : undefined;
    if (typeof sigHeader !== 'string' || signedAt === undefined) return answer(res, 400);
    // The SDK checks only the past side: a signature dated ahead would stay replayable until then.
    if (Number(signedAt) > Date.now() + options.toleranceMs) return answer(res, 400);
    let event: Awaited<ReturnType<WorkOS['webhooks']['constructEvent']>>;
    try {
      event = await workos.webhooks.constructEvent({ payload: raw, sigHeader, secret: options.secret, tolerance: options.toleranceMs });
    } catch {
      return answer(res, 400);
    }
    if (typeof event.id !== 'string' || typeof event.event !== 'string') return answer(res, 400);
    answer(res, 200);
    setImmediate(() => {
      hub.apply({ id: event.id, event: event.event, createdAt: event.createdAt, data: dataOf(event.data) }, 'webhook');
    });
  }
}

/** Event payloads are objects; the SDK types them per event name. */
export const dataOf = (data: unknown): Record<string, unknown> =>
  typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};

function answer(res: ServerResponse, status: number): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(status === 200 ? '{"ok":true}' : '{}');
}

/** The raw body as a string, or null once it passes the limit (the rest is not read). */
function readBody(req: IncomingMessage, maxBytes: number): Promise<string | null> {
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.removeAllListeners('data');
        req.resume();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
