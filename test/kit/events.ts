import { randomBytes } from 'node:crypto';
import type { EmulatorHandle } from '@workos-graphql-gateway/emulator';
import { WEBHOOK_PATH } from '../../src/events/webhook-endpoint.ts';
import type { Gateway } from '../../src/gateway.ts';
import { startGateway } from './gateway.ts';
import { startStack, type Stack } from './stack.ts';

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

/** A second gateway in front of an existing emulator (e.g. a restart), with a service token of its own. */
export const gatewayFor = (emulator: EmulatorHandle, env: Record<string, string>): Promise<{ gateway: Gateway; url: string }> =>
  startGateway(emulator, { GATEWAY_SERVICE_TOKENS: `svc_${randomBytes(32).toString('base64url')}`, ...env });

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

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
