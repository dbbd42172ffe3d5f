import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '@workos-graphql-gateway/emulator';
import { seeded } from '../kit/callers.ts';
import type { Stack } from '../kit/stack.ts';
import { gatewayFor, SECRET, sleep, upstream, waitFor, webhookUrl } from '../kit/events.ts';

const cursorIn = async (file: string) => (JSON.parse(await readFile(file, 'utf8')) as { after: string | null }).after;

describe('Events API follower (GATEWAY_EVENTS_FOLLOW)', () => {
  let emulator: EmulatorHandle;
  let dir: string;
  let orgId: string;
  beforeAll(async () => {
    emulator = await startEmulator({ rateLimits: false });
    dir = await mkdtemp(join(tmpdir(), 'events-cursor-'));
    orgId = seeded({ emulator } as Stack).acme.id;
  });
  afterAll(async () => {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  const rename = (name: string) => upstream(emulator, 'PUT', `/organizations/${orgId}`, { name });
  const lastEventId = () => emulator.store.events.at(-1)?.id ?? null;

  it('resumes after a restart from its stored cursor, losing and repeating nothing', async () => {
    const env = { GATEWAY_EVENTS_FOLLOW: 'true', GATEWAY_EVENTS_POLL_MS: '20', GATEWAY_EVENTS_CURSOR_FILE: join(dir, 'a', 'cursor.json') };
    const cursor = env.GATEWAY_EVENTS_CURSOR_FILE;

    const first = await gatewayFor(emulator, env);
    // First start: the cursor begins at the newest event; history is not replayed.
    await waitFor(async () => (await cursorIn(cursor).catch(() => undefined)) === lastEventId(), 5_000, 'the first cursor');
    expect(first.gateway.events.applied).toBe(0);
    await rename('Acme One');
    await waitFor(() => first.gateway.events.applied === 1, 5_000, 'the first event');
    await first.gateway.close();

    // Published while the gateway is down.
    await rename('Acme Two');
    await rename('Acme Three');
    const missed = emulator.store.events.slice(-2).map((e) => e.id);

    const second = await gatewayFor(emulator, env);
    try {
      await waitFor(() => second.gateway.events.applied === 2, 5_000, 'the missed events');
      await sleep(100);
      expect(second.gateway.events.applied).toBe(2);
      expect(await cursorIn(cursor)).toBe(missed[1]);
    } finally {
      await second.gateway.close();
    }
  });

  it('applies an event once when both the webhook and the follower bring it', async () => {
    const env = {
      GATEWAY_EVENTS_FOLLOW: 'true',
      GATEWAY_EVENTS_POLL_MS: '20',
      GATEWAY_EVENTS_CURSOR_FILE: join(dir, 'b', 'cursor.json'),
      WORKOS_WEBHOOK_SECRET: SECRET,
    };
    const { gateway, url } = await gatewayFor(emulator, env);
    emulator.addWebhookEndpoint({ url: webhookUrl(url), secret: SECRET });
    try {
      await waitFor(async () => (await cursorIn(env.GATEWAY_EVENTS_CURSOR_FILE).catch(() => undefined)) === lastEventId(), 5_000, 'the first cursor');
      await rename('Acme Both');
      const id = lastEventId();
      await waitFor(async () => (await cursorIn(env.GATEWAY_EVENTS_CURSOR_FILE)) === id, 5_000, 'the follower to read it');
      await sleep(100);
      expect(gateway.events.applied).toBe(1);
    } finally {
      emulator.clearWebhookEndpoints();
      await gateway.close();
    }
  });
});
