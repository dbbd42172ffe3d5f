import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/config.ts';
import type { EmulatorHandle } from '@workos-graphql-gateway/emulator';
import { WEBHOOK_PATH } from '../../src/events/webhook-endpoint.ts';
import { createGateway, type Gateway } from '../../src/server.ts';
import { startStack, upstreamEnv, type Stack } from '../support/stack.ts';

export const SECRET = `whsec_${randomBytes(16).toString('hex')}`;

/** A stack with a webhook secret; `registered` also points the emulator's webhooks at the gateway. */
export async function startEventsStack(env: Record<string, string> = {}, registered = true): Promise<Stack> {
  const stack = await startStack({ env: { WORKOS_WEBHOOK_SECRET: SECRET, ...env } });
  if (registered) registerWebhook(stack);
  return stack;
}

export const webhookUrl = (graphqlUrl: string) => new URL(WEBHOOK_PATH, graphqlUrl).toString();

export function registerWebhook(stack: Stack): void {
  stack.emulator.addWebhookEndpoint({ url: webhookUrl(stack.url), secret: SECRET });
}

export function unregisterWebhooks(stack: Stack): void {
  stack.emulator.clearWebhookEndpoints();
}

/** A second gateway in front of an existing emulator (e.g. a restart), configured as startStack does. */
export async function gatewayFor(emulator: EmulatorHandle, env: Record<string, string>): Promise<{ gateway: Gateway; url: string }> {
  const config = loadConfig({
    ...upstreamEnv(emulator),
    GATEWAY_SERVICE_TOKENS: `svc_${randomBytes(32).toString('base64url')}`,
    GATEWAY_CACHE_TTL_MS: '0',
    ...env,
  });
  const gateway = createGateway({ ...config, workos: { ...config.workos, apiKey: emulator.apiKey } });
  return { gateway, url: await gateway.listen(0, '127.0.0.1') };
}

/** Waits until `check` holds, polling; fails after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Calls the emulator's REST API directly with its key: a change the gateway did not make. */
export async function upstream(emulator: EmulatorHandle, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(new URL(path, emulator.url), {
    method,
    headers: { authorization: `Bearer ${emulator.apiKey}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  const text = await res.text();
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

export interface SseResult {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/**
 * A GraphQL subscription over server-sent events (yoga's transport), read with fetch. Collects
 * each `next` payload until `close()` or the stream ends.
 */
export function subscribe(graphqlUrl: string, token: string | null, query: string, variables?: Record<string, unknown>) {
  const abort = new AbortController();
  const results: SseResult[] = [];
  let ended = false;
  let status = 0;
  const done = (async () => {
    try {
      const res = await fetch(graphqlUrl, {
        method: 'POST',
        headers: {
          accept: 'text/event-stream',
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
        signal: abort.signal,
      });
      status = res.status;
      if (!res.body) return;
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const lines = block.split('\n');
          const kind = lines.find((l) => l.startsWith('event:'))?.slice(6).trim();
          const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
          if (kind === 'next' && data) results.push(JSON.parse(data) as SseResult);
        }
      }
    } catch {
      // aborted by close()
    } finally {
      ended = true;
    }
  })();
  return {
    results,
    get ended() {
      return ended;
    },
    get status() {
      return status;
    },
    /** Resolves once the server answered (headers sent) and has had a moment to start listening. */
    ready: async () => {
      const until = Date.now() + 5_000;
      while (status === 0 && !ended && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 100));
    },
    close: async () => {
      abort.abort();
      await done;
    },
    done,
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
