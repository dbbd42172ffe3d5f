import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seeded, send, tokenFor } from '../kit/callers.ts';
import type { Stack } from '../kit/stack.ts';
import { registerWebhook, startEventsStack, unregisterWebhooks, upstream, waitFor } from '../kit/events.ts';

const ORG = `query($id: ID!) {
  organization(id: $id) {
    id name
    memberships(first: 5) { edges { node { id role { slug } user { email } } } }
  }
}`;

describe('cross-request cache (GATEWAY_CACHE_TTL_MS on)', () => {
  let stack: Stack;
  // Looked up once: tests below rename organizations.
  let s: ReturnType<typeof seeded>;
  beforeAll(async () => {
    stack = await startEventsStack({ GATEWAY_CACHE_TTL_MS: '60000' }, false);
    s = seeded(stack);
  });
  afterAll(() => stack.close());
  beforeEach(() => {
    unregisterWebhooks(stack);
  });

  const nameOf = async (id: string, token: string = stack.serviceToken) => {
    const { body } = await send(stack, token, ORG, { id });
    return (body.data?.organization as { name: string } | null)?.name ?? null;
  };

  it('answers a repeated query from the cache within the TTL; a user’s access is still read from WorkOS each request', async () => {
    const { acme, alice } = s;
    const alicesToken = await tokenFor(stack, alice.id);
    await nameOf(acme.id, stack.serviceToken);
    stack.resetCalls();
    expect(await nameOf(acme.id, stack.serviceToken)).toBe(acme.name);
    expect(stack.calls()).toEqual({});

    await nameOf(acme.id, alicesToken);
    stack.resetCalls();
    expect(await nameOf(acme.id, alicesToken)).toBe(acme.name);
    // The organization comes from the cache; the memberships that decide access never do.
    expect(stack.calls()).toEqual({ 'GET /user_management/organization_memberships': 1 });
  });

  it('a member removed at WorkOS loses access at their next request, events or not', async () => {
    const { acme, alice } = s;
    const token = await tokenFor(stack, alice.id);
    expect(await nameOf(acme.id, token)).toBe(acme.name);
    const membership = [...stack.emulator.store.memberships.values()].find((m) => m.user_id === alice.id && m.organization_id === acme.id)!;
    unregisterWebhooks(stack);
    await upstream(stack.emulator, 'PUT', `/user_management/organization_memberships/${membership.id}/deactivate`, {});
    try {
      expect(await nameOf(acme.id, token)).toBeNull();
    } finally {
      await upstream(stack.emulator, 'PUT', `/user_management/organization_memberships/${membership.id}/reactivate`, {});
    }
  });

  it('serves a change made at WorkOS once its webhook event has arrived (and, without events, keeps the cached answer)', async () => {
    const { globex } = s;
    const original = await nameOf(globex.id);
    await upstream(stack.emulator, 'PUT', `/organizations/${globex.id}`, { name: 'Globex Unseen' });
    expect(await nameOf(globex.id)).toBe(original);

    registerWebhook(stack);
    const applied = stack.gateway.events.applied;
    await upstream(stack.emulator, 'PUT', `/organizations/${globex.id}`, { name: 'Globex Renamed' });
    await waitFor(() => stack.gateway.events.applied > applied, 5_000, 'the webhook event');
    stack.resetCalls();
    expect(await nameOf(globex.id)).toBe('Globex Renamed');
    expect(stack.calls()['GET /organizations/:id']).toBe(1);
  });

  it('serves a change made through a gateway mutation at once, without waiting for its event', async () => {
    const { acme } = s;
    await nameOf(acme.id);
    await send(stack, stack.serviceToken, '{ organizations(first: 50) { edges { node { id name } } } }');
    const { body } = await send(
      stack,
      stack.serviceToken,
      'mutation($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { __typename } }',
      { input: { id: acme.id, name: 'Acme Renamed Here' } },
    );
    expect(body.data?.updateOrganization).toEqual({ __typename: 'OrganizationPayload' });
    expect(await nameOf(acme.id)).toBe('Acme Renamed Here');
    const list = await send(stack, stack.serviceToken, '{ organizations(first: 50) { edges { node { id name } } } }');
    expect(JSON.stringify(list.body.data)).toContain('Acme Renamed Here');
  });

  it('drops a member’s access once the removal of their membership arrives as an event', async () => {
    const { acme, bob, membershipOf } = s;
    const bobsToken = await tokenFor(stack, bob.id);
    expect(await nameOf(acme.id, bobsToken)).not.toBeNull();
    registerWebhook(stack);
    const applied = stack.gateway.events.applied;
    await upstream(stack.emulator, 'DELETE', `/user_management/organization_memberships/${membershipOf(bob.id, acme.id).id}`);
    await waitFor(() => stack.gateway.events.applied > applied, 5_000, 'the membership event');
    expect(await nameOf(acme.id, bobsToken)).toBeNull();
  });
});
