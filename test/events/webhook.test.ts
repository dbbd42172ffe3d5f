import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '@workos-graphql-gateway/emulator';
import type { Stack } from '../kit/stack.ts';
import { SECRET, sleep, startEventsStack, webhookUrl } from '../kit/events.ts';

const bodyOf = (id: string) =>
  JSON.stringify({ id, event: 'organization.updated', data: { object: 'organization', id: 'org_01WEBHOOKTEST', name: 'X', domains: [] }, created_at: new Date().toISOString() });

describe('POST /webhooks/workos', () => {
  let stack: Stack;
  let url: string;
  beforeAll(async () => {
    // Not registered with the emulator: only the deliveries this file sends arrive.
    stack = await startEventsStack({ GATEWAY_WEBHOOK_MAX_BYTES: '4096' }, false);
    url = webhookUrl(stack.url);
  });
  afterAll(() => stack.close());

  const deliver = (body: string, signature: string | undefined) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature ? { 'workos-signature': signature } : {}) }, body });

  /** Events applied so far, after the gateway has had time to process what it accepted. */
  const applied = async () => {
    await sleep(50);
    return stack.gateway.events.applied;
  };

  it('accepts a valid signature, answers at once and applies the event', async () => {
    const before = await applied();
    const body = bodyOf('event_valid_1');
    const res = await deliver(body, signWebhook(SECRET, body, Date.now()));
    expect(res.status).toBe(200);
    expect(await applied()).toBe(before + 1);
  });

  const goodSignature = (body: string) => signWebhook(SECRET, body, Date.now());
  it.each<[string, (body: string) => [string, string | undefined]]>([
    ['a tampered body', (body) => [body.replace('"X"', '"Y"'), goodSignature(body)]],
    ['a wrong secret', (body) => [body, signWebhook('whsec_wrong', body, Date.now())]],
    ['a stale timestamp', (body) => [body, signWebhook(SECRET, body, Date.now() - 10 * 60_000)]],
    ['a timestamp far in the future', (body) => [body, signWebhook(SECRET, body, Date.now() + 10 * 60_000)]],
    ['a missing header', (body) => [body, undefined]],
    ['a header without a timestamp', (body) => [body, 'v1=abc']],
    ['a malformed timestamp', (body) => [body, `t=abc, v1=${goodSignature(body).split('v1=')[1]}`]],
  ])('refuses %s with no detail', async (_what, make) => {
    const before = await applied();
    const [payload, signature] = make(bodyOf('event_bad_1'));
    const res = await deliver(payload, signature);
    expect(res.status).toBe(400);
    expect(await res.text()).toBe('{}');
    expect(await applied()).toBe(before);
  });

  it('processes a delivery sent twice once', async () => {
    const before = await applied();
    const body = bodyOf('event_replayed_1');
    const first = await deliver(body, signWebhook(SECRET, body, Date.now()));
    const again = await deliver(body, signWebhook(SECRET, body, Date.now() + 5));
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(await applied()).toBe(before + 1);
  });

  it('refuses a body over the size limit and anything but POST', async () => {
    const big = JSON.stringify({ id: 'event_big', event: 'user.updated', data: { pad: 'x'.repeat(5000) }, created_at: new Date().toISOString() });
    expect((await deliver(big, signWebhook(SECRET, big, Date.now()))).status).toBe(413);
    expect((await fetch(url)).status).toBe(405);
  });

  it('answers 404 when no webhook secret is configured', async () => {
    const { startStack } = await import('../kit/stack.ts');
    const bare = await startStack();
    try {
      const body = bodyOf('event_nosecret');
      const res = await fetch(webhookUrl(bare.url), { method: 'POST', headers: { 'workos-signature': signWebhook(SECRET, body, Date.now()) }, body });
      expect(res.status).toBe(404);
    } finally {
      await bare.close();
    }
  });
});
