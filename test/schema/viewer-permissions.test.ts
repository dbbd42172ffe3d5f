import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { codes, seeded, send, startWarmStack, tokenFor } from '../kit/callers.ts';
import type { Stack } from '../kit/stack.ts';

/**
 * viewerCanUpdate / viewerCanDelete / viewerCanManageMembers: what a screen needs to show or
 * hide its admin buttons, answered by the same rules the mutations check and from the
 * memberships the request reads anyway, so they cost no WorkOS call.
 */
let stack: Stack;
let s: ReturnType<typeof seeded>;
beforeAll(async () => {
  stack = await startWarmStack();
  s = seeded(stack);
});
afterAll(() => stack.close());
beforeEach(() => stack.resetCalls());

const ORG_FIELDS = 'viewerCanUpdate viewerCanDelete viewerCanManageMembers';
const MEMBER_FIELDS = 'viewerCanUpdate viewerCanDelete';
const list = (org: string, member: string) =>
  `{ organizations(first: 5) { edges { node { id name ${org} memberships(first: 3) { edges { node { id role { slug } ${member} user { email } } } } } } } }`;
const detail = (id: string, org: string, member: string) =>
  `{ organization(id: "${id}") { id ${org} memberships(first: 3) { edges { node { id ${member} } } } } }`;

type Org = { id: string; viewerCanUpdate: boolean; viewerCanDelete: boolean; viewerCanManageMembers: boolean; memberships: { edges: { node: { viewerCanUpdate: boolean; viewerCanDelete: boolean } }[] } };

/** The same query with and without the fields: the upstream calls must be the same. */
async function callsWithAndWithout(token: string, query: (org: string, member: string) => string) {
  stack.resetCalls();
  const without = await send(stack, token, query('', ''));
  const callsWithout = stack.calls();
  stack.resetCalls();
  const withFields = await send(stack, token, query(ORG_FIELDS, MEMBER_FIELDS));
  expect(without.body.errors).toBeUndefined();
  expect(withFields.body.errors).toBeUndefined();
  return { callsWithout, callsWith: stack.calls(), body: withFields.body };
}

describe('permission fields', () => {
  it('an admin may update, delete and manage members of their organization; a list of them costs no extra call', async () => {
    const { callsWith, callsWithout, body } = await callsWithAndWithout(await tokenFor(stack, s.alice.id), list);
    expect(callsWith).toEqual(callsWithout);
    // The viewer's memberships (the page, and access) and one membership page per organization;
    // the organizations come with the viewer's memberships.
    expect(callsWith).toEqual({ 'GET /user_management/organization_memberships': 4 });
    const orgs = (body.data?.organizations as { edges: { node: Org }[] }).edges.map((e) => e.node);
    const acme = orgs.find((o) => o.id === s.acme.id)!;
    expect(acme).toMatchObject({ viewerCanUpdate: true, viewerCanDelete: true, viewerCanManageMembers: true });
    expect(acme.memberships.edges.every((e) => e.node.viewerCanUpdate && e.node.viewerCanDelete)).toBe(true);
    // Alice is a plain member everywhere else.
    for (const other of orgs.filter((o) => o.id !== s.acme.id)) {
      expect(other).toMatchObject({ viewerCanUpdate: false, viewerCanDelete: false, viewerCanManageMembers: false });
      expect(other.memberships.edges.some((e) => e.node.viewerCanUpdate || e.node.viewerCanDelete)).toBe(false);
    }
  });

  it('a member may do none of it, and the mutations agree', async () => {
    const bob = await tokenFor(stack, s.bob.id);
    const { callsWith, callsWithout, body } = await callsWithAndWithout(bob, (org, member) => detail(s.acme.id, org, member));
    expect(callsWith).toEqual(callsWithout);
    expect(callsWith).toEqual({ 'GET /user_management/organization_memberships': 2, 'GET /organizations/:id': 1 });
    expect(body.data?.organization).toMatchObject({ viewerCanUpdate: false, viewerCanDelete: false, viewerCanManageMembers: false });

    const rename = await send(stack, bob, `mutation { updateOrganization(input: { id: "${s.acme.id}", name: "Bob's" }) { __typename } }`);
    expect(codes(rename.body)).toEqual(['FORBIDDEN']);
    const asAdmin = await send(stack, await tokenFor(stack, s.alice.id), `mutation { updateOrganization(input: { id: "${s.acme.id}", name: "Acme Corp" }) { __typename } }`);
    expect(asAdmin.body.data?.updateOrganization).toEqual({ __typename: 'OrganizationPayload' });
  });

  it('a member whose token carries users:manage for the organization may manage members, not change it', async () => {
    const token = await tokenFor(stack, s.bob.id, { organizationId: s.acme.id, permissions: ['users:manage'] });
    const { body } = await callsWithAndWithout(token, (org, member) => detail(s.acme.id, org, member));
    const org = body.data?.organization as Org;
    expect(org).toMatchObject({ viewerCanUpdate: false, viewerCanDelete: false, viewerCanManageMembers: true });
    expect(org.memberships.edges.every((e) => e.node.viewerCanUpdate && e.node.viewerCanDelete)).toBe(true);
  });

  it('a service may do everything, reading no membership of its own', async () => {
    const { callsWith, callsWithout, body } = await callsWithAndWithout(stack.serviceToken, (org, member) => detail(s.acme.id, org, member));
    expect(callsWith).toEqual(callsWithout);
    expect(callsWith).toEqual({ 'GET /organizations/:id': 1, 'GET /user_management/organization_memberships': 1 });
    expect(body.data?.organization).toMatchObject({ viewerCanUpdate: true, viewerCanDelete: true, viewerCanManageMembers: true });
  });
});
