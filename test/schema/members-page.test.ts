import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AcceptInvitationDocument,
  ChangeMemberRoleDocument,
  InvitationByTokenDocument,
  MembersPageDocument,
  ResendInvitationDocument,
  RevokeInvitationDocument,
  SendInvitationDocument,
} from '@workos-graphql-gateway/client/documents';
import type { seeded} from '../kit/callers.ts';
import { codes, results, send, startAcmeAdminStack, tokenFor } from '../kit/callers.ts';
import type { Stack } from '../kit/stack.ts';

/**
 * The members page (members, pending invitations, the role dropdown) in one round trip at the
 * fewest WorkOS calls, and the invitation flow on both sides: the admin's and the invitee's.
 */
let stack: Stack;
let s: ReturnType<typeof seeded>;
let alice: string;
beforeAll(async () => {
  ({ stack, s, alice } = await startAcmeAdminStack());
});
afterAll(() => stack.close());
beforeEach(() => stack.resetCalls());

const store = () => stack.emulator.store;
const pendingInvitations = (orgId: string) =>
  [...store().invitations.values()].filter((i) => i.organization_id === orgId && i.state === 'pending' && Date.parse(i.expires_at) > Date.now());

describe('the members page', () => {
  it('members with role names, pending invitations and the roles: one call each, once, for an admin', async () => {
    const page = await stack.clientAs(alice).request(MembersPageDocument, { organizationId: s.acme.id });
    const org = page.organization!;
    expect(org.roles?.map((r) => r.slug)).toEqual(['admin', 'member', 'billing-admin', 'viewer']);
    expect(org.roles?.[2]).toEqual({ slug: 'billing-admin', name: 'Billing admin', description: 'Manages invoices and payment methods.' });
    const members = org.memberships!.edges.map((e) => e.node);
    expect(members.length).toBeGreaterThan(3);
    expect(members.every((m) => m.status !== 'PENDING')).toBe(true);
    expect(members.find((m) => m.user?.email === 'alice@acme.test')?.role).toEqual({ slug: 'admin', name: 'Admin' });
    expect(members.find((m) => m.user?.email === 'bob@acme.test')?.role).toEqual({ slug: 'member', name: 'Member' });
    const invitations = org.invitations!.edges.map((e) => e.node);
    expect(invitations.map((i) => i.email).sort()).toEqual(pendingInvitations(s.acme.id).map((i) => i.email).sort());
    expect(invitations.find((i) => i.email === 'billing@acme.test')?.role).toEqual({ slug: 'billing-admin', name: 'Billing admin' });
    expect(invitations.every((i) => i.state === 'PENDING')).toBe(true);

    // Her memberships (the access check), the organization, its members, its invitations, its roles.
    expect(stack.calls()).toEqual({
      'GET /user_management/organization_memberships': 2,
      'GET /organizations/:id': 1,
      'GET /user_management/invitations': 1,
      'GET /authorization/organizations/:organizationId/roles': 1,
    });
    expect(stack.totalCalls()).toBe(5);
  });

  it('a service pays no access check: four calls', async () => {
    await stack.client.request(MembersPageDocument, { organizationId: s.acme.id });
    expect(stack.totalCalls()).toBe(4);
  });

  it('role slugs alone cost no roles call; names, however many, one per organization', async () => {
    const slugs = await send(stack, alice, `{ organization(id: "${s.acme.id}") { memberships(first: 50) { edges { node { role { slug } roles { slug } } } } } }`);
    expect(slugs.body.errors).toBeUndefined();
    expect(stack.calls()['GET /authorization/organizations/:organizationId/roles']).toBeUndefined();

    stack.resetCalls();
    // Carol's memberships are in two organizations: their role names need two role lists, no more.
    const names = await send(stack, stack.serviceToken, `{ user(id: "${s.carol.id}") { memberships { edges { node { role { name permissions } roles { name } } } } } }`);
    expect(names.body.errors).toBeUndefined();
    expect(stack.calls()['GET /authorization/organizations/:organizationId/roles']).toBe(2);
  });
});

describe('invitations', () => {
  const email = 'ops.lead@example.test';

  it('an admin sends one with a role; it is pending in the list, the email is the emulator’s, the token is never returned', async () => {
    const { sendInvitation } = await stack.clientAs(alice).request(SendInvitationDocument, {
      input: { organizationId: s.acme.id, email, roleSlug: 'billing-admin', expiresInDays: 5 },
    });
    expect(sendInvitation).toMatchObject({ __typename: 'InvitationPayload', invitation: { email, state: 'PENDING', role: { slug: 'billing-admin', name: 'Billing admin' } } });
    const created = [...store().invitations.values()].find((i) => i.email === email)!;
    expect(created.inviter_user_id).toBe(s.alice.id);
    expect(JSON.stringify(sendInvitation)).not.toContain(created.token);
    expect(store().emails.at(-1)).toMatchObject({ to: email, token: created.token });
    expect(stack.calls()['POST /user_management/invitations']).toBe(1);
  });

  it('sending twice, or to a member, is a ConflictError; a role of another organization a ValidationError', async () => {
    const again = await stack.clientAs(alice).request(SendInvitationDocument, { input: { organizationId: s.acme.id, email } });
    expect(again.sendInvitation).toMatchObject({ __typename: 'ConflictError' });
    const member = await stack.clientAs(alice).request(SendInvitationDocument, { input: { organizationId: s.acme.id, email: 'bob@acme.test' } });
    expect(member.sendInvitation).toMatchObject({ __typename: 'ConflictError' });
    const role = await stack.clientAs(alice).request(SendInvitationDocument, { input: { organizationId: s.acme.id, email: 'x@example.test', roleSlug: 'auditor' } });
    expect(role.sendInvitation).toMatchObject({ __typename: 'ValidationError', fields: [{ field: 'roleSlug' }] });
  });

  it('bad input is refused before WorkOS is asked', async () => {
    const { body } = await send(
      stack,
      alice,
      `mutation { sendInvitation(input: { organizationId: "${s.acme.id}", email: "not-an-email", expiresInDays: 99 }) { __typename } }`,
    );
    // Refused input is a typed ValidationError, like every mutation's expected failure.
    expect(codes(body)).toEqual([]);
    expect(results(body)).toEqual(['ValidationError']);
    expect(stack.totalCalls()).toBe(0);
  });

  it('resend and revoke; a revoked one cannot be resent', async () => {
    const id = [...store().invitations.values()].find((i) => i.email === email)!.id;
    const emails = store().emails.length;
    const resent = await stack.clientAs(alice).request(ResendInvitationDocument, { id });
    expect(resent.resendInvitation).toMatchObject({ __typename: 'InvitationPayload', invitation: { id, state: 'PENDING' } });
    expect(store().emails.length).toBe(emails + 1);
    const revoked = await stack.clientAs(alice).request(RevokeInvitationDocument, { id });
    expect(revoked.revokeInvitation).toMatchObject({ invitation: { state: 'REVOKED' } });
    const late = await stack.clientAs(alice).request(ResendInvitationDocument, { id });
    expect(late.resendInvitation).toMatchObject({ __typename: 'ConflictError' });
  });

  it('the invitee sees it by token, accepts it, and is then a member with its role', async () => {
    // Dave exists (a member of Acme): invited to Hooli by a service, he is a pending member there until he accepts.
    const hooli = [...store().organizations.values()].find((o) => o.name === 'Hooli')!;
    const sent = await stack.client.request(SendInvitationDocument, { input: { organizationId: hooli.id, email: s.dave.email, roleSlug: 'admin' } });
    expect(sent.sendInvitation.__typename).toBe('InvitationPayload');
    const { token } = store().emails.at(-1)!;
    const dave = await tokenFor(stack, s.dave.id);
    stack.resetCalls();
    const found = await stack.clientAs(dave).request(InvitationByTokenDocument, { token: token! });
    expect(found.invitationByToken).toMatchObject({ email: s.dave.email, state: 'PENDING', organizationName: 'Hooli', role: { slug: 'admin', name: 'Admin' } });
    expect(stack.calls()['GET /user_management/invitations/by_token/:token']).toBe(1);

    // Someone else with the token sees nothing.
    const bob = await tokenFor(stack, s.bob.id);
    expect((await stack.clientAs(bob).request(InvitationByTokenDocument, { token: token! })).invitationByToken).toBeNull();
    const { body } = await send(stack, bob, `mutation { acceptInvitation(input: { id: "${found.invitationByToken!.id}" }) { __typename } }`);
    expect(codes(body)).toEqual(['FORBIDDEN']);

    const accepted = await stack.clientAs(dave).request(AcceptInvitationDocument, { id: found.invitationByToken!.id });
    expect(accepted.acceptInvitation).toMatchObject({ __typename: 'InvitationPayload', invitation: { state: 'ACCEPTED', organizationId: hooli.id } });
    const membership = [...store().memberships.values()].find((m) => m.user_id === s.dave.id && m.organization_id === hooli.id)!;
    expect(membership).toMatchObject({ status: 'active', role: { slug: 'admin' } });
    const again = await stack.clientAs(dave).request(AcceptInvitationDocument, { id: found.invitationByToken!.id });
    expect(again.acceptInvitation).toMatchObject({ __typename: 'ConflictError' });
  });

  it('an expired invitation reads EXPIRED and is filtered out of pending', async () => {
    const { body } = await send(
      stack,
      alice,
      `{ organization(id: "${s.acme.id}") { expired: invitations(states: [EXPIRED]) { edges { node { email state } } } all: invitations(first: 100) { edges { node { email } } } } }`,
    );
    const org = body.data?.organization as { expired: { edges: { node: { email: string; state: string } }[] }; all: { edges: unknown[] } };
    expect(org.expired.edges.map((e) => e.node)).toEqual([{ email: 'late.reply@acme.test', state: 'EXPIRED' }]);
    expect(org.all.edges.length).toBe([...store().invitations.values()].filter((i) => i.organization_id === s.acme.id).length);
  });

  it('a member’s role changes to one of the organization’s own roles', async () => {
    const bobMembership = s.membershipOf(s.bob.id, s.acme.id);
    const changed = await stack.clientAs(alice).request(ChangeMemberRoleDocument, { id: bobMembership.id, roleSlug: 'viewer' });
    expect(changed.updateOrganizationMembershipRole).toMatchObject({ organizationMembership: { role: { slug: 'viewer', name: 'Viewer' } } });
    await stack.clientAs(alice).request(ChangeMemberRoleDocument, { id: bobMembership.id, roleSlug: 'member' });
  });
});
