import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../kit/stack.ts';
import { post } from '../kit/http.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ emulator: { exportDelayMs: 50 } });
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.emulator.faults.clear();
  stack.resetCalls();
});

type Result = Record<string, unknown> & { __typename: string };
async function mutate(field: string, input: Record<string, unknown>, selection: string): Promise<Result> {
  const { body } = await post(
    stack.url,
    `mutation($input: ${field.charAt(0).toUpperCase()}${field.slice(1)}Input!) { result: ${field}(input: $input) { __typename ... on MutationError { message } ${selection} } }`,
    { input },
  );
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data?.result as Result;
}

const userIdOf = (email: string) => [...stack.emulator.store.users.values()].find((u) => u.email === email)!.id;

describe('organizations', () => {
  it('creates, updates and deletes an organization', async () => {
    const created = await mutate(
      'createOrganization',
      { name: 'Initrode', domains: [{ domain: 'initrode.test', state: 'VERIFIED' }], externalId: 'ext-initrode', metadata: { tier: 'gold' } },
      '... on OrganizationPayload { organization { id name externalId metadata domains { domain state } } }',
    );
    expect(created.__typename).toBe('OrganizationPayload');
    const org = (created.organization as { id: string });
    expect(created.organization).toMatchObject({ name: 'Initrode', externalId: 'ext-initrode', metadata: { tier: 'gold' }, domains: [{ domain: 'initrode.test', state: 'verified' }] });
    expect(stack.emulator.store.organizations.get(org.id)?.name).toBe('Initrode');

    const updated = await mutate('updateOrganization', { id: org.id, name: 'Initrode Global' }, '... on OrganizationPayload { organization { name externalId } }');
    expect(updated).toMatchObject({ __typename: 'OrganizationPayload', organization: { name: 'Initrode Global', externalId: 'ext-initrode' } });

    const deleted = await mutate('deleteOrganization', { id: org.id }, '... on DeletePayload { deletedId }');
    expect(deleted).toEqual({ __typename: 'DeletePayload', deletedId: org.id });
    expect(stack.emulator.store.organizations.has(org.id)).toBe(false);

    const again = await mutate('deleteOrganization', { id: org.id }, '... on NotFoundError { id }');
    expect(again).toMatchObject({ __typename: 'NotFoundError', id: org.id });
  });

  it('returns a typed ConflictError for a domain another organization has', async () => {
    const before = stack.emulator.store.organizations.size;
    const result = await mutate('createOrganization', { name: 'Copycat', domains: [{ domain: 'acme.test' }] }, '');
    expect(result.__typename).toBe('ConflictError');
    expect(String(result.message)).not.toContain('acme.test');
    expect(stack.emulator.store.organizations.size).toBe(before);
  });
  // Malformed input of every kind: test/schema/mutation-integrity.test.ts (one typed shape, no upstream call).
});

describe('users and memberships', () => {
  it('creates, updates and deletes a user; duplicate email is a ValidationError', async () => {
    const created = await mutate(
      'createUser',
      { email: 'newbie@acme.test', firstName: 'New', lastName: 'Bie', password: 'correct horse battery', emailVerified: true },
      '... on UserPayload { user { id email name emailVerified } }',
    );
    const user = created.user as { id: string };
    expect(created.user).toMatchObject({ email: 'newbie@acme.test', name: 'New Bie', emailVerified: true });

    const dup = await mutate('createUser', { email: 'newbie@acme.test' }, '... on ValidationError { fields { field message } }');
    expect(dup.__typename).toBe('ValidationError');

    const updated = await mutate('updateUser', { id: user.id, firstName: 'Renamed', locale: 'en-US' }, '... on UserPayload { user { firstName locale } }');
    expect(updated.user).toEqual({ firstName: 'Renamed', locale: 'en-US' });

    const deleted = await mutate('deleteUser', { id: user.id }, '... on DeletePayload { deletedId }');
    expect(deleted.deletedId).toBe(user.id);
    expect(stack.emulator.store.users.has(user.id)).toBe(false);
  });

  it('manages a membership through its whole life', async () => {
    const org = [...stack.emulator.store.organizations.values()].find((o) => o.name === 'Initech')!;
    const userId = userIdOf('carol@globex.test');
    const created = await mutate(
      'createOrganizationMembership',
      { organizationId: org.id, userId },
      '... on OrganizationMembershipPayload { organizationMembership { id status role { slug } organization { name } user { email } } }',
    );
    const m = created.organizationMembership as { id: string };
    expect(created.organizationMembership).toMatchObject({ status: 'ACTIVE', role: { slug: 'member' }, organization: { name: 'Initech' }, user: { email: 'carol@globex.test' } });

    const dup = await mutate('createOrganizationMembership', { organizationId: org.id, userId }, '');
    expect(dup.__typename).toBe('ConflictError');

    const role = await mutate('updateOrganizationMembershipRole', { id: m.id, roleSlug: 'admin' }, '... on OrganizationMembershipPayload { organizationMembership { role { slug } } }');
    expect(role.organizationMembership).toEqual({ role: { slug: 'admin' } });

    const badRole = await mutate('updateOrganizationMembershipRole', { id: m.id, roleSlug: 'overlord' }, '');
    expect(badRole.__typename).toBe('ValidationError');

    const off = await mutate('deactivateOrganizationMembership', { id: m.id }, '... on OrganizationMembershipPayload { organizationMembership { status } }');
    expect(off.organizationMembership).toEqual({ status: 'INACTIVE' });
    const on = await mutate('reactivateOrganizationMembership', { id: m.id }, '... on OrganizationMembershipPayload { organizationMembership { status } }');
    expect(on.organizationMembership).toEqual({ status: 'ACTIVE' });

    const gone = await mutate('deleteOrganizationMembership', { id: m.id }, '... on DeletePayload { deletedId }');
    expect(gone.deletedId).toBe(m.id);
    expect(stack.emulator.store.memberships.has(m.id)).toBe(false);
  });

  it('sends a password reset without returning the token', async () => {
    const { body } = await post(stack.url, `mutation { sendPasswordReset(input: { email: "bob@acme.test" }) { __typename ... on SendPasswordResetPayload { email expiresAt } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data?.sendPasswordReset).toMatchObject({ __typename: 'SendPasswordResetPayload', email: 'bob@acme.test' });
    expect(JSON.stringify(body)).not.toMatch(/token/i);
    expect(stack.calls()['POST /user_management/password_reset']).toBe(1);
  });
});

describe('directories, SSO connections and audit logs', () => {
  it('deletes a directory and an SSO connection', async () => {
    const dir = [...stack.emulator.store.directories.values()].at(-1)!;
    const conn = [...stack.emulator.store.connections.values()].at(-1)!;
    expect(await mutate('deleteDirectory', { id: dir.id }, '... on DeletePayload { deletedId }')).toEqual({ __typename: 'DeletePayload', deletedId: dir.id });
    expect(await mutate('deleteSsoConnection', { id: conn.id }, '... on DeletePayload { deletedId }')).toEqual({ __typename: 'DeletePayload', deletedId: conn.id });
    expect(stack.emulator.store.directories.has(dir.id)).toBe(false);
    expect(stack.emulator.store.connections.has(conn.id)).toBe(false);
    const missing = await mutate('deleteDirectory', { id: dir.id }, '... on NotFoundError { id }');
    expect(missing.__typename).toBe('NotFoundError');
  });

  it('records an audit event once per idempotency key, then exports and polls it', async () => {
    const org = [...stack.emulator.store.organizations.values()].find((o) => o.name === 'Acme Corp')!;
    const before = stack.emulator.store.auditLogEvents.length;
    const input = {
      organizationId: org.id,
      action: 'document.shared',
      occurredAt: '2026-11-01T10:00:00.000Z',
      actor: { id: 'user_1', type: 'user', name: 'Alice' },
      targets: [{ id: 'doc_1', type: 'document' }],
      context: { location: '203.0.113.7', userAgent: 'test' },
      metadata: { channel: 'email', count: 2 },
      idempotencyKey: 'share-doc-1',
    };
    for (let i = 0; i < 2; i++) {
      const r = await mutate('createAuditLogEvent', input, '... on CreateAuditLogEventPayload { organizationId }');
      expect(r).toEqual({ __typename: 'CreateAuditLogEventPayload', organizationId: org.id });
    }
    expect(stack.emulator.store.auditLogEvents.length).toBe(before + 1);

    const exp = await mutate(
      'createAuditLogExport',
      { organizationId: org.id, rangeStart: '2026-10-01T00:00:00.000Z', rangeEnd: '2026-12-01T00:00:00.000Z', actions: ['document.shared'] },
      '... on AuditLogExportPayload { auditLogExport { id state url } }',
    );
    const created = exp.auditLogExport as { id: string; state: string; url: string | null };
    expect(created).toMatchObject({ state: 'PENDING', url: null });

    let state = 'PENDING';
    let url: string | null = null;
    for (let i = 0; i < 50 && state !== 'READY'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      const { body } = await post(stack.url, `query($id: ID!) { auditLogExport(id: $id) { state url } }`, { id: created.id });
      ({ state, url } = body.data?.auditLogExport as { state: string; url: string | null });
    }
    expect(state).toBe('READY');
    const csv = await (await fetch(url!)).text();
    expect(csv).toContain('document.shared');

    const badRange = await post(stack.url, `mutation { createAuditLogExport(input: { organizationId: "${org.id}", rangeStart: "2026-12-01T00:00:00Z", rangeEnd: "2026-10-01T00:00:00Z" }) { __typename } }`);
    expect(badRange.body.data?.createAuditLogExport).toEqual({ __typename: 'ValidationError' });
  });
});

describe('onboardOrganization', () => {
  it('creates the organization, its admin and the audit event', async () => {
    const userId = userIdOf('bob@acme.test');
    const events = stack.emulator.store.auditLogEvents.length;
    const r = await mutate(
      'onboardOrganization',
      { name: 'Vehement Capital', domains: [{ domain: 'vehement.test' }], adminUserId: userId },
      '... on OnboardOrganizationPayload { organization { id name } adminMembership { role { slug } user { id } } }',
    );
    expect(r).toMatchObject({ __typename: 'OnboardOrganizationPayload', organization: { name: 'Vehement Capital' }, adminMembership: { role: { slug: 'admin' }, user: { id: userId } } });
    expect(stack.emulator.store.auditLogEvents.length).toBe(events + 1);
    expect(stack.emulator.store.auditLogEvents.at(-1)?.event.action).toBe('organization.onboarded');
  });

  it('undoes the organization and membership when the audit event fails', async () => {
    const userId = userIdOf('bob@acme.test');
    const orgs = stack.emulator.store.organizations.size;
    const memberships = stack.emulator.store.memberships.size;
    stack.emulator.faults.add({ method: 'POST', path: '/audit_logs/events', status: 500, body: { message: 'boom' }, times: 5 });
    const r = await mutate(
      'onboardOrganization',
      { name: 'Doomed Inc', adminUserId: userId },
      '... on OnboardingFailedError { failedStep reason rolledBack notRolledBack }',
    );
    expect(r.__typename).toBe('OnboardingFailedError');
    expect(r.failedStep).toBe('record audit log event');
    expect((r.rolledBack as string[]).map((s) => s.split(' ')[0])).toEqual(['membership', 'organization']);
    expect(r.notRolledBack).toEqual([]);
    expect(String(r.message)).toContain('Rolled back');
    expect(stack.emulator.store.organizations.size).toBe(orgs);
    expect(stack.emulator.store.memberships.size).toBe(memberships);
  });

  it('undoes the organization when the user does not exist', async () => {
    const orgs = stack.emulator.store.organizations.size;
    const r = await mutate('onboardOrganization', { name: 'Ghost Co', adminUserId: 'user_01ZZZZZZZZZZZZZZZZZZZZZZZZ' }, '... on OnboardingFailedError { failedStep rolledBack }');
    expect(r).toMatchObject({ __typename: 'OnboardingFailedError', failedStep: 'add admin membership' });
    expect((r.rolledBack as string[])[0]).toMatch(/^organization org_/);
    expect(stack.emulator.store.organizations.size).toBe(orgs);
  });
});
