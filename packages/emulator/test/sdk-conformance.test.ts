import {
  BadRequestException,
  ConflictException,
  GenericServerException,
  NotFoundException,
  RateLimitExceededException,
  UnauthorizedException,
  UnprocessableEntityException,
  type WorkOS,
} from '@workos-inc/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../src/server.ts';
import { caught, sdkFor } from './helpers.ts';
import { checkResponse, createSpecCheckedFetch } from './spec-validator.ts';

/**
 * Every SDK call the gateway makes for organizations, users, memberships, Directory Sync and
 * SSO connections, through the real @workos-inc/node client. Every JSON body is checked against
 * the OpenAPI spec on the way (see spec-validator.ts).
 */

let em: EmulatorHandle;
let workos: WorkOS;
const spec = createSpecCheckedFetch();

const org = (name: string) => [...em.store.organizations.values()].find((o) => o.name === name)!;
const userByEmail = (email: string) => [...em.store.users.values()].find((u) => u.email === email)!;

beforeAll(async () => {
  em = await startEmulator({ rateLimits: false });
  workos = sdkFor(em, { fetchFn: spec.fetchFn });
});

afterAll(async () => {
  await em?.close();
});

describe('spec validator', () => {
  it('rejects a body that breaks the spec', () => {
    const r = checkResponse('GET', '/organizations/org_1', 200, { object: 'organization', id: 'org_1' });
    expect(r.operation).toBe('GET /organizations/{id}');
    expect(r.failure).toMatch(/required/);
  });
});

describe('organizations', () => {
  it('lists with the SDK defaults, filters by domains and search', async () => {
    const page = await workos.organizations.listOrganizations();
    expect(page.data).toHaveLength(10);
    expect(page.listMetadata.after).toBe(page.data[9].id);
    // Newest first by default.
    expect(page.data[0].id > page.data[1].id).toBe(true);

    const byDomain = await workos.organizations.listOrganizations({ domains: ['acme.test', 'globex.test'] });
    expect(byDomain.data.map((o) => o.name).sort()).toEqual(['Acme Corp', 'Globex Corporation']);

    const searched = await workos.get<{ data: { name: string }[] }>('/organizations', { query: { search: 'acme' } });
    expect(searched.data.data.map((o) => o.name)).toEqual(['Acme Corp']);
  });

  it('gets by id and by external id', async () => {
    const acme = org('Acme Corp');
    const got = await workos.organizations.getOrganization(acme.id);
    expect(got).toMatchObject({ id: acme.id, name: 'Acme Corp', externalId: acme.external_id });
    expect(got.domains.map((d) => d.domain)).toEqual(['acme.test']);
    const byExt = await workos.organizations.getOrganizationByExternalId(acme.external_id!);
    expect(byExt.id).toBe(acme.id);
  });

  it('creates, updates and deletes', async () => {
    const created = await workos.organizations.createOrganization({
      name: 'Conformance Inc',
      domainData: [{ domain: 'conformance.test', state: 'verified' as never }],
      externalId: 'ext_conformance',
      metadata: { plan: 'pro' },
    });
    expect(created).toMatchObject({ name: 'Conformance Inc', externalId: 'ext_conformance', metadata: { plan: 'pro' } });
    expect(created.id).toMatch(/^org_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(created.domains[0]).toMatchObject({ domain: 'conformance.test', state: 'verified' });

    const updated = await workos.organizations.updateOrganization({
      organization: created.id,
      name: 'Conformance Ltd',
      metadata: { region: 'eu' },
    });
    expect(updated.name).toBe('Conformance Ltd');
    expect(updated.metadata).toEqual({ plan: 'pro', region: 'eu' });

    await workos.organizations.deleteOrganization(created.id);
    const err = await caught(workos.organizations.getOrganization(created.id));
    expect(err).toBeInstanceOf(NotFoundException);
    const events = em.store.events.filter((e) => e.data.id === created.id).map((e) => e.event);
    expect(events).toEqual(['organization.created', 'organization.updated', 'organization.deleted']);
  });

  it('maps errors to the SDK exceptions', async () => {
    expect(await caught(workos.organizations.getOrganization('org_missing'))).toBeInstanceOf(NotFoundException);
    expect(await caught(workos.organizations.getOrganizationByExternalId('nope'))).toBeInstanceOf(NotFoundException);

    const dupDomain = await caught(
      workos.organizations.createOrganization({ name: 'Copycat', domainData: [{ domain: 'acme.test', state: 'pending' as never }] }),
    );
    expect(dupDomain).toBeInstanceOf(ConflictException);
    expect(dupDomain.message).toMatch(/acme\.test already exists/);

    const dupExt = await caught(workos.organizations.createOrganization({ name: 'Copycat', externalId: org('Acme Corp').external_id }));
    expect(dupExt).toBeInstanceOf(GenericServerException);
    expect(dupExt).toMatchObject({ status: 400, code: 'external_id_already_used' });

    const noName = await caught(workos.organizations.createOrganization({ name: '' }));
    expect(noName).toBeInstanceOf(UnprocessableEntityException);
    expect(noName.message).toMatch(/name_required/);

    const badMeta = await caught(workos.organizations.createOrganization({ name: 'Meta', metadata: { k: 'x'.repeat(601) } }));
    expect(badMeta).toMatchObject({ status: 400, code: 'invalid_metadata' });

    const bigLimit = await caught(workos.organizations.listOrganizations({ limit: 101 }));
    expect(bigLimit).toBeInstanceOf(UnprocessableEntityException);
  });
});

describe('users', () => {
  it('lists by organization and email, gets by id and external id', async () => {
    const acme = org('Acme Corp');
    const members = await workos.userManagement.listUsers({ organizationId: acme.id, limit: 100 });
    const emails = members.data.map((u) => u.email);
    expect(emails).toEqual(expect.arrayContaining(['alice@acme.test', 'bob@acme.test', 'carol@globex.test']));

    const byEmail = await workos.userManagement.listUsers({ email: 'alice@acme.test' });
    expect(byEmail.data).toHaveLength(1);
    const alice = byEmail.data[0];
    expect(alice).toMatchObject({ firstName: 'Alice', emailVerified: true });

    expect((await workos.userManagement.getUser(alice.id)).email).toBe('alice@acme.test');
    expect((await workos.userManagement.getUserByExternalId(alice.externalId!)).id).toBe(alice.id);
  });

  it('auto-paginates through every user', async () => {
    // Without a limit: with one the SDK returns only the first page.
    const all = await (await workos.userManagement.listUsers()).autoPagination();
    expect(all).toHaveLength(em.store.users.size);
    expect(new Set(all.map((u) => u.id)).size).toBe(all.length);
  });

  it('creates, updates and deletes (cascading memberships)', async () => {
    const user = await workos.userManagement.createUser({
      email: 'New.Person@Example.test',
      password: 'long-enough-pw',
      firstName: 'New',
      lastName: 'Person',
      externalId: 'ext_new_person',
      metadata: { team: 'a' },
    });
    expect(user).toMatchObject({ email: 'new.person@example.test', emailVerified: false, externalId: 'ext_new_person' });
    expect(em.store.auth.passwords.get(user.id)).toBe('long-enough-pw');

    const updated = await workos.userManagement.updateUser({ userId: user.id, lastName: 'Renamed', emailVerified: true, metadata: { team: null, role: 'x' } });
    expect(updated).toMatchObject({ lastName: 'Renamed', emailVerified: true, metadata: { role: 'x' } });

    const m = await workos.userManagement.createOrganizationMembership({ userId: user.id, organizationId: org('Initech').id });
    await workos.userManagement.deleteUser(user.id);
    expect(await caught(workos.userManagement.getUser(user.id))).toBeInstanceOf(NotFoundException);
    expect(em.store.memberships.has(m.id)).toBe(false);
    const events = em.store.events.filter((e) => e.data.id === user.id || e.data.id === m.id).map((e) => e.event);
    expect(events).toEqual(['user.created', 'user.updated', 'organization_membership.created', 'organization_membership.deleted', 'user.deleted']);
  });

  it('maps errors to the SDK exceptions', async () => {
    const dup = await caught(workos.userManagement.createUser({ email: 'alice@acme.test' }));
    expect(dup).toBeInstanceOf(BadRequestException);
    expect(dup).toMatchObject({ code: 'user_creation_error', errors: [expect.objectContaining({ code: 'email_not_available' })] });

    const invalid = await caught(workos.userManagement.createUser({ email: 'not-an-email' }));
    expect(invalid).toBeInstanceOf(UnprocessableEntityException);
    expect(invalid.message).toMatch(/invalid_email/);

    const weak = await caught(workos.userManagement.createUser({ email: 'weak@example.test', password: 'short' }));
    expect(weak).toBeInstanceOf(BadRequestException);
    expect(weak).toMatchObject({ code: 'password_strength_error' });

    const alice = userByEmail('alice@acme.test');
    const taken = await caught(workos.userManagement.updateUser({ userId: alice.id, email: 'bob@acme.test' }));
    expect(taken).toBeInstanceOf(GenericServerException);
    expect(taken).toMatchObject({ status: 400, code: 'email_not_available' });

    expect(await caught(workos.userManagement.getUser('user_missing'))).toBeInstanceOf(NotFoundException);
    expect(await caught(workos.userManagement.getUserByExternalId('missing'))).toBeInstanceOf(NotFoundException);
  });
});

describe('organization memberships', () => {
  it('lists by organization or user with statuses, embedding the user on the wire', async () => {
    const acme = org('Acme Corp');
    const all = await workos.userManagement.listOrganizationMemberships({ organizationId: acme.id, limit: 100 });
    expect(all.data.length).toBeGreaterThan(5);
    const statuses = new Set(all.data.map((m) => m.status));
    expect(statuses.size).toBeGreaterThan(1);

    const active = await workos.userManagement.listOrganizationMemberships({ organizationId: acme.id, statuses: ['active'], limit: 100 });
    expect(active.data.every((m) => m.status === 'active')).toBe(true);
    const activeOrPending = await workos.userManagement.listOrganizationMemberships({
      organizationId: acme.id,
      statuses: ['active', 'pending'],
      limit: 100,
    });
    expect(activeOrPending.data.every((m) => m.status !== 'inactive')).toBe(true);

    const carol = userByEmail('carol@globex.test');
    const hers = await workos.userManagement.listOrganizationMemberships({ userId: carol.id });
    expect(hers.data.map((m) => m.organizationName).sort()).toEqual(['Acme Corp', 'Globex Corporation']);

    const raw = await workos.get<{ data: { user: { id: string; email: string } }[] }>('/user_management/organization_memberships', {
      query: { user_id: carol.id },
    });
    expect(raw.data.data[0].user).toMatchObject({ id: carol.id, email: 'carol@globex.test' });
  });

  it('creates, changes role, deactivates, reactivates and deletes', async () => {
    const user = await workos.userManagement.createUser({ email: 'member.flow@example.test' });
    const hooli = org('Hooli');
    const m = await workos.userManagement.createOrganizationMembership({ userId: user.id, organizationId: hooli.id });
    expect(m).toMatchObject({ status: 'active', role: { slug: 'member' }, organizationName: 'Hooli' });

    const got = await workos.userManagement.getOrganizationMembership(m.id);
    expect(got.id).toBe(m.id);
    const raw = await workos.get<{ user: { email: string } }>(`/user_management/organization_memberships/${m.id}`);
    expect(raw.data.user.email).toBe('member.flow@example.test');

    const admin = await workos.userManagement.updateOrganizationMembership(m.id, { roleSlug: 'admin' });
    expect(admin.role.slug).toBe('admin');
    expect((await workos.userManagement.deactivateOrganizationMembership(m.id)).status).toBe('inactive');
    expect((await workos.userManagement.reactivateOrganizationMembership(m.id)).status).toBe('active');
    await workos.userManagement.deleteOrganizationMembership(m.id);
    expect(await caught(workos.userManagement.getOrganizationMembership(m.id))).toBeInstanceOf(NotFoundException);
  });

  it('maps errors to the SDK exceptions', async () => {
    const alice = userByEmail('alice@acme.test');
    const acme = org('Acme Corp');
    const dup = await caught(workos.userManagement.createOrganizationMembership({ userId: alice.id, organizationId: acme.id }));
    expect(dup).toBeInstanceOf(ConflictException);

    const badRole = await caught(
      workos.userManagement.createOrganizationMembership({ userId: alice.id, organizationId: org('Initech').id, roleSlug: 'owner' }),
    );
    expect(badRole).toBeInstanceOf(UnprocessableEntityException);
    expect(badRole).toMatchObject({ code: 'invalid_role' });

    const missing = await caught(workos.userManagement.listOrganizationMemberships({} as never));
    expect(missing).toBeInstanceOf(GenericServerException);
    expect(missing).toMatchObject({ status: 400, code: 'missing_user_id_or_organization_id' });

    const pending = [...em.store.memberships.values()].find((m) => m.status === 'pending')!;
    const deact = await caught(workos.userManagement.deactivateOrganizationMembership(pending.id));
    expect(deact).toMatchObject({ status: 400, code: 'cannot_deactivate_pending_organization_membership' });
    const react = await caught(workos.userManagement.reactivateOrganizationMembership(pending.id));
    expect(react).toBeInstanceOf(GenericServerException);
    expect(react).toMatchObject({ status: 400, code: 'cannot_reactivate_pending_organization_membership' });

    expect(await caught(workos.userManagement.getOrganizationMembership('om_missing'))).toBeInstanceOf(NotFoundException);
    expect(
      await caught(workos.userManagement.createOrganizationMembership({ userId: 'user_missing', organizationId: acme.id })),
    ).toBeInstanceOf(NotFoundException);
  });
});

describe('directory sync', () => {
  it('lists and gets directories, their users and groups', async () => {
    const acme = org('Acme Corp');
    const dirs = await workos.directorySync.listDirectories({ organizationId: acme.id });
    expect(dirs.data).toHaveLength(1);
    const dir = dirs.data[0];
    expect(dir).toMatchObject({ organizationId: acme.id, state: 'active', domain: 'acme.test' });
    expect((await workos.directorySync.getDirectory(dir.id)).id).toBe(dir.id);
    const searched = await workos.directorySync.listDirectories({ search: 'acme corp' });
    expect(searched.data.map((d) => d.id)).toEqual([dir.id]);

    const users = await workos.directorySync.listUsers({ directory: dir.id, limit: 100 });
    expect(users.data).toHaveLength(20);
    expect(users.data.every((u) => Array.isArray(u.groups) && u.groups.length > 0)).toBe(true);
    const groups = await workos.directorySync.listGroups({ directory: dir.id });
    expect(groups.data.map((g) => g.name).sort()).toEqual(['Admins', 'Engineering', 'Sales', 'Support']);

    const someone = users.data.find((u) => u.groups.length === 2)!;
    const hisGroups = await workos.directorySync.listGroups({ user: someone.id });
    expect(hisGroups.data.map((g) => g.id).sort()).toEqual(someone.groups.map((g) => g.id).sort());
    const inGroup = await workos.directorySync.listUsers({ group: groups.data[0].id, limit: 100 });
    expect(inGroup.data.every((u) => u.groups.some((g) => g.id === groups.data[0].id))).toBe(true);

    expect((await workos.directorySync.getUser(someone.id)).email).toBe(someone.email);
    expect((await workos.directorySync.getGroup(groups.data[0].id)).name).toBe(groups.data[0].name);
  });

  it('deletes a directory with its users and groups', async () => {
    const dir = [...em.store.directories.values()].find((d) => d.organization_id === org('Umbrella Corp').id)!;
    await workos.directorySync.deleteDirectory(dir.id);
    expect(await caught(workos.directorySync.getDirectory(dir.id))).toBeInstanceOf(NotFoundException);
    expect([...em.store.directoryUsers.values()].some((u) => u.directory_id === dir.id)).toBe(false);
    expect(em.store.events.some((e) => e.event === 'dsync.deleted' && e.data.id === dir.id)).toBe(true);
  });

  it('maps errors to the SDK exceptions', async () => {
    expect(await caught(workos.directorySync.getDirectory('directory_missing'))).toBeInstanceOf(NotFoundException);
    expect(await caught(workos.directorySync.getUser('directory_user_missing'))).toBeInstanceOf(NotFoundException);
    expect(await caught(workos.directorySync.getGroup('directory_group_missing'))).toBeInstanceOf(NotFoundException);
    expect(await caught(workos.directorySync.listUsers({}))).toBeInstanceOf(UnprocessableEntityException);
    expect(await caught(workos.directorySync.listGroups({}))).toBeInstanceOf(UnprocessableEntityException);
  });
});

describe('SSO connections', () => {
  it('lists by organization, type and domain; gets and deletes', async () => {
    const acme = org('Acme Corp');
    const mine = await workos.sso.listConnections({ organizationId: acme.id });
    expect(mine.data.length).toBeGreaterThan(0);
    expect(mine.data.every((c) => c.organizationId === acme.id)).toBe(true);
    const okta = await workos.sso.listConnections({ connectionType: 'OktaSAML' as never });
    expect(okta.data.every((c) => c.type === 'OktaSAML')).toBe(true);
    const byDomain = await workos.sso.listConnections({ domain: 'acme.test' });
    expect(byDomain.data.map((c) => c.id).sort()).toEqual(mine.data.map((c) => c.id).sort());

    const conn = mine.data[0];
    expect((await workos.sso.getConnection(conn.id)).name).toBe(conn.name);
    await workos.sso.deleteConnection(conn.id);
    expect(await caught(workos.sso.getConnection(conn.id))).toBeInstanceOf(NotFoundException);
    expect(em.store.events.some((e) => e.event === 'connection.deleted' && e.data.id === conn.id)).toBe(true);
  });
});

describe('organization delete cascade', () => {
  it('removes memberships, directories and connections of the organization', async () => {
    const globex = org('Globex Corporation');
    await workos.organizations.deleteOrganization(globex.id);
    const { store } = em;
    expect([...store.memberships.values()].some((m) => m.organization_id === globex.id)).toBe(false);
    expect([...store.directories.values()].some((d) => d.organization_id === globex.id)).toBe(false);
    expect([...store.connections.values()].some((c) => c.organization_id === globex.id)).toBe(false);
  });
});

describe('auth and limits through the SDK', () => {
  it('a wrong API key is UnauthorizedException', async () => {
    const wrong = sdkFor(em, { apiKey: 'sk_test_wrong', fetchFn: spec.fetchFn });
    expect(await caught(wrong.organizations.listOrganizations())).toBeInstanceOf(UnauthorizedException);
  });

  it('a full bucket is RateLimitExceededException with retryAfter', async () => {
    em.setRateLimits({ general: { limit: 2, windowMs: 60_000 } });
    try {
      await workos.organizations.listOrganizations();
      await workos.organizations.listOrganizations();
      const err = await caught(workos.organizations.listOrganizations());
      expect(err).toBeInstanceOf(RateLimitExceededException);
      expect((err as unknown as RateLimitExceededException).retryAfter).toBeGreaterThanOrEqual(1);
    } finally {
      em.setRateLimits(false);
    }
  });
});

describe('spec conformance of every response above', () => {
  it('has no schema violations', () => {
    expect(spec.checked()).toBeGreaterThan(40);
    expect(spec.failures).toEqual([]);
    // Statuses the spec leaves out: duplicate membership (409), 401 and 429 on any route.
    const routes = new Set(spec.undocumented.map((u) => u.split(' (')[0]));
    expect([...routes].sort()).toEqual([
      'GET /organizations -> 401',
      'GET /organizations -> 429',
      'POST /user_management/organization_memberships -> 409',
    ]);
  });
});
