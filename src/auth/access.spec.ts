import type { AuditLogExport, Organization, OrganizationMembership, OrganizationMembershipStatus, User } from '@workos-inc/node';
import DataLoader from 'dataloader';
import { beforeEach, describe, expect, it } from 'vitest';
import type { MembershipFilter, WorkOSLoaders } from '../data/loaders.ts';
import type { Page, PageParams } from '../data/pagination.ts';
import { Access } from './access.ts';
import { ANONYMOUS, tenantOf, type Caller, type UserCaller } from './caller.ts';
import { ExportOwners } from './export-owners.ts';
import { PERMISSIONS, type Permission } from './permissions.ts';

// ---- a small world of memberships, read through a hand-written stand-in for the loaders ----

let seq = 0;
function membership(userId: string, organizationId: string, role: string, status: OrganizationMembershipStatus = 'active', roles?: string[]): OrganizationMembership {
  seq += 1;
  return {
    object: 'organization_membership',
    id: `om_${String(seq).padStart(4, '0')}`,
    userId,
    organizationId,
    organizationName: organizationId,
    status,
    role: { slug: role },
    ...(roles ? { roles: roles.map((slug) => ({ slug })) } : {}),
    directoryManaged: false,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    customAttributes: {},
  };
}

const WORLD: OrganizationMembership[] = [
  membership('user_alice', 'org_admin', 'admin'),
  membership('user_alice', 'org_member', 'member'),
  membership('user_alice', 'org_inactive', 'admin', 'inactive'),
  membership('user_alice', 'org_pending', 'admin', 'pending'),
  membership('user_alice', 'org_multi', 'member', 'active', ['member', 'admin']),
  membership('user_bob', 'org_member', 'member'),
  membership('user_carol', 'org_inactive', 'member'),
  membership('user_dave', 'org_admin', 'member', 'inactive'),
  membership('user_frank', 'org_pending', 'member'),
];

type ListCall = PageParams & MembershipFilter;

function fakeLoaders(memberships: OrganizationMembership[]) {
  const listCalls: ListCall[] = [];
  const loaded: string[] = [];
  const byId = <T>(make: (id: string) => T | null) =>
    new DataLoader<string, T | null>(async (ids) =>
      ids.map((id) => {
        loaded.push(id);
        return make(id);
      }),
    );
  const listMemberships = async (p: ListCall): Promise<Page<OrganizationMembership>> => {
    listCalls.push(p);
    const matching = memberships
      .filter((m) => (p.userId === undefined || m.userId === p.userId) && (p.organizationId === undefined || m.organizationId === p.organizationId))
      .filter((m) => p.statuses === undefined || p.statuses.includes(m.status))
      .sort((a, b) => (p.order === 'desc' ? b.id.localeCompare(a.id) : a.id.localeCompare(b.id)));
    const start = p.after === undefined ? 0 : matching.findIndex((m) => m.id === p.after) + 1;
    const data = matching.slice(start, start + p.limit);
    const more = start + data.length < matching.length;
    return { data, listMetadata: { before: null, after: more ? data[data.length - 1].id : null } };
  };
  const loaders = {
    listMemberships,
    organization: byId<Organization>((id) => ({ id, name: id }) as Organization),
    organizationByExternalId: byId<Organization>((ext) => ({ id: ext.replace('ext_', 'org_'), externalId: ext }) as Organization),
    user: byId<User>((id) => ({ id }) as User),
    userByExternalId: byId<User>((ext) => ({ id: ext.replace('ext_', 'user_') }) as User),
    membership: byId<OrganizationMembership>((id) => memberships.find((m) => m.id === id) ?? null),
    auditLogExport: byId<AuditLogExport>((id) => ({ id, object: 'audit_log_export', state: 'ready' }) as AuditLogExport),
  };
  return { loaders: loaders as unknown as WorkOSLoaders, listCalls, loaded };
}

const user = (userId: string, token: Partial<Pick<UserCaller, 'organizationId' | 'permissions'>> = {}): UserCaller => ({
  kind: 'user',
  userId,
  sessionId: 'session_1',
  organizationId: token.organizationId,
  role: undefined,
  permissions: token.permissions ?? [],
  expiresAt: new Date('2100-01-01T00:00:00Z'),
});
const SERVICE: Caller = { kind: 'service', fingerprint: 'abc123' };

function accessFor(caller: Caller, memberships = WORLD, owners = new ExportOwners()) {
  const fake = fakeLoaders(memberships);
  return { access: new Access(caller, fake.loaders, owners), ...fake };
}

const ORGS = ['org_admin', 'org_member', 'org_inactive', 'org_pending', 'org_multi', 'org_elsewhere'];
const ALL_PERMISSIONS = Object.values(PERMISSIONS);

describe('Access: service caller', () => {
  it.each(ORGS)('reads and administers %s without reading memberships', async (org) => {
    const { access, listCalls } = accessFor(SERVICE);
    expect(access.isService).toBe(true);
    await expect(access.canRead(org)).resolves.toBe(true);
    for (const permission of ALL_PERMISSIONS) await expect(access.canAdminister(org, permission)).resolves.toBe(true);
    expect(listCalls).toEqual([]);
  });

  it('sees every user and export, and has no memberships of its own', async () => {
    const { access, listCalls } = accessFor(SERVICE);
    await expect(access.canSeeUser('user_nobody')).resolves.toBe(true);
    await expect(access.canReadExport('audit_log_export_unknown')).resolves.toBe(true);
    await expect(access.viewerMemberships()).resolves.toEqual([]);
    await expect(access.canRead(null)).resolves.toBe(true);
    expect(listCalls).toEqual([]);
  });

  it('keeps every item of a list', async () => {
    const { access } = accessFor(SERVICE);
    const items = [{ org: 'org_x' }, { org: null }];
    await expect(access.onlyReadable(items, (i) => i.org)).resolves.toEqual(items);
  });
});

describe('Access: anonymous caller', () => {
  it.each(ORGS)('neither reads nor administers %s', async (org) => {
    const { access, listCalls } = accessFor(ANONYMOUS);
    await expect(access.canRead(org)).resolves.toBe(false);
    await expect(access.canAdminister(org, PERMISSIONS.organizations)).resolves.toBe(false);
    expect(listCalls).toEqual([]);
  });

  it('sees no user, export or membership', async () => {
    const owners = new ExportOwners();
    await owners.remember('audit_log_export_1', 'org_admin');
    const { access } = accessFor(ANONYMOUS, WORLD, owners);
    await expect(access.canSeeUser('user_alice')).resolves.toBe(false);
    await expect(access.canReadExport('audit_log_export_1')).resolves.toBe(false);
    await expect(access.viewerMemberships()).resolves.toEqual([]);
    await expect(access.organization('org_admin')).resolves.toBeNull();
  });
});

describe('Access: user caller reads', () => {
  it.each([
    ['org_admin', 'active admin membership', true],
    ['org_member', 'active member membership', true],
    ['org_multi', 'active membership with several roles', true],
    ['org_inactive', 'inactive membership', false],
    ['org_pending', 'pending membership', false],
    ['org_elsewhere', 'no membership', false],
  ])('canRead(%s): %s -> %s', async (org, _label, expected) => {
    const { access } = accessFor(user('user_alice'));
    await expect(access.canRead(org)).resolves.toBe(expected);
  });

  it.each([null, undefined, ''])('canRead(%o) is false', async (org) => {
    const { access } = accessFor(user('user_alice'));
    await expect(access.canRead(org)).resolves.toBe(false);
  });

  it('asks WorkOS for active memberships only, newest first, 100 a page', async () => {
    const { access, listCalls } = accessFor(user('user_alice'));
    const mine = await access.viewerMemberships();
    expect(mine.map((m) => m.organizationId).sort()).toEqual(['org_admin', 'org_member', 'org_multi']);
    expect(listCalls).toEqual([{ userId: 'user_alice', statuses: ['active'], limit: 100, order: 'desc' }]);
  });

  it('the session organization in the token grants no read without a membership', async () => {
    const { access } = accessFor(user('user_erin', { organizationId: 'org_elsewhere', permissions: ALL_PERMISSIONS }));
    await expect(access.canRead('org_elsewhere')).resolves.toBe(false);
  });

  it.each([
    [250, 250, 3],
    [1000, 1000, 10],
    [1234, 1000, 10],
  ])('pages through %i memberships: keeps %i in %i calls', async (count, kept, calls) => {
    const many = Array.from({ length: count }, (_, i) => membership('user_many', `org_${i}`, 'member'));
    const { access, listCalls } = accessFor(user('user_many'), many);
    await expect(access.viewerMemberships()).resolves.toHaveLength(kept);
    expect(listCalls).toHaveLength(calls);
    expect(listCalls.slice(1).every((c) => c.after !== undefined)).toBe(true);
  });

  it('keeps only the list items of readable organizations', async () => {
    const { access } = accessFor(user('user_alice'));
    const items = ['org_admin', 'org_inactive', null, 'org_member', 'org_elsewhere'].map((org) => ({ org }));
    await expect(access.onlyReadable(items, (i) => i.org)).resolves.toEqual([{ org: 'org_admin' }, { org: 'org_member' }]);
  });
});

describe('Access: user caller administers', () => {
  it.each<[string, string, Caller, Permission, boolean]>([
    ['admin role', 'org_admin', user('user_alice'), PERMISSIONS.organizations, true],
    ['admin role, any permission', 'org_admin', user('user_alice'), PERMISSIONS.auditLogs, true],
    ['admin among several roles', 'org_multi', user('user_alice'), PERMISSIONS.users, true],
    ['member role, no token permission', 'org_member', user('user_alice'), PERMISSIONS.users, false],
    ['member with the permission for that organization', 'org_member', user('user_alice', { organizationId: 'org_member', permissions: [PERMISSIONS.users] }), PERMISSIONS.users, true],
    ['member with another permission only', 'org_member', user('user_alice', { organizationId: 'org_member', permissions: [PERMISSIONS.users] }), PERMISSIONS.organizations, false],
    ['member whose token permission is for another organization', 'org_member', user('user_alice', { organizationId: 'org_admin', permissions: ALL_PERMISSIONS }), PERMISSIONS.users, false],
    ['member, token without organization', 'org_member', user('user_alice', { permissions: ALL_PERMISSIONS }), PERMISSIONS.users, false],
    ['inactive admin membership', 'org_inactive', user('user_alice'), PERMISSIONS.organizations, false],
    ['inactive membership with a matching token permission', 'org_inactive', user('user_alice', { organizationId: 'org_inactive', permissions: ALL_PERMISSIONS }), PERMISSIONS.organizations, false],
    ['pending admin membership', 'org_pending', user('user_alice'), PERMISSIONS.organizations, false],
    ['no membership, token names the organization', 'org_elsewhere', user('user_alice', { organizationId: 'org_elsewhere', permissions: ALL_PERMISSIONS }), PERMISSIONS.users, false],
  ])('%s (%s, %s)', async (_label, org, caller, permission, expected) => {
    const { access } = accessFor(caller);
    await expect(access.canAdminister(org, permission)).resolves.toBe(expected);
  });
});

describe('Access: canSeeUser', () => {
  it.each([
    ['self', 'user_alice', true],
    ['an active member of a shared organization', 'user_bob', true],
    ['an inactive member of a readable organization', 'user_dave', true],
    ['a member only of an organization where the viewer is inactive', 'user_carol', false],
    ['a member only of an organization where the viewer is pending', 'user_frank', false],
    ['a user with no memberships', 'user_erin', false],
  ])('alice sees %s (%s): %s', async (_label, target, expected) => {
    const { access } = accessFor(user('user_alice'));
    await expect(access.canSeeUser(target)).resolves.toBe(expected);
  });

  it('self needs no upstream call', async () => {
    const { access, listCalls } = accessFor(user('user_erin'));
    await expect(access.canSeeUser('user_erin')).resolves.toBe(true);
    expect(listCalls).toEqual([]);
  });

  it('a viewer with no active membership sees nobody else, without listing their memberships', async () => {
    const { access, listCalls } = accessFor(user('user_erin'));
    await expect(access.canSeeUser('user_bob')).resolves.toBe(false);
    expect(listCalls.map((c) => c.userId)).toEqual(['user_erin']);
  });

  it("reads the other user's memberships of any status", async () => {
    const { access, listCalls } = accessFor(user('user_alice'));
    await access.canSeeUser('user_dave');
    expect(listCalls.at(-1)).toEqual({ userId: 'user_dave', limit: 100, order: 'desc' });
  });
});

describe('Access: audit log exports', () => {
  let owners: ExportOwners;
  beforeEach(async () => {
    owners = new ExportOwners();
    await owners.remember('audit_log_export_admin', 'org_admin');
    await owners.remember('audit_log_export_member', 'org_member');
    await owners.remember('audit_log_export_inactive', 'org_inactive');
  });

  it.each<[string, Caller, string, boolean]>([
    ['admin of its organization', user('user_alice'), 'audit_log_export_admin', true],
    ['plain member of its organization', user('user_alice'), 'audit_log_export_member', false],
    ['member with audit_logs:manage for it', user('user_alice', { organizationId: 'org_member', permissions: [PERMISSIONS.auditLogs] }), 'audit_log_export_member', true],
    ['member with another permission', user('user_alice', { organizationId: 'org_member', permissions: [PERMISSIONS.users] }), 'audit_log_export_member', false],
    ['inactive admin', user('user_alice'), 'audit_log_export_inactive', false],
    ['an export the gateway does not know', user('user_alice'), 'audit_log_export_unknown', false],
    ['a service, known export', SERVICE, 'audit_log_export_member', true],
    ['a service, unknown export', SERVICE, 'audit_log_export_unknown', true],
  ])('%s', async (_label, caller, exportId, expected) => {
    const { access, loaded } = accessFor(caller, WORLD, owners);
    await expect(access.canReadExport(exportId)).resolves.toBe(expected);
    const read = await access.auditLogExport(exportId);
    expect(read === null ? null : read.id).toBe(expected ? exportId : null);
    expect(loaded.includes(exportId)).toBe(expected);
  });

  it('tells the owner it remembers', async () => {
    const { access } = accessFor(user('user_alice'), WORLD, owners);
    await expect(access.exportOwner('audit_log_export_member')).resolves.toBe('org_member');
    await expect(access.exportOwner('audit_log_export_unknown')).resolves.toBeUndefined();
  });
});

describe('Access: by-id reads', () => {
  it.each([
    ['org_admin', true],
    ['org_inactive', false],
    ['org_elsewhere', false],
  ])('organization(%s): readable -> %s, read alongside the decision whatever it is', async (org, readable) => {
    const { access, loaded } = accessFor(user('user_alice'));
    const result = await access.organization(org);
    expect(result?.id ?? null).toBe(readable ? org : null);
    // One wave, and a denial costs what a grant does.
    expect(loaded).toEqual([org]);
  });

  it.each([
    ['user_bob', true],
    ['user_carol', false],
  ])('user(%s): visible -> %s, read alongside the decision whatever it is', async (id, visible) => {
    const { access, loaded } = accessFor(user('user_alice'));
    const result = await access.user(id);
    expect(result?.id ?? null).toBe(visible ? id : null);
    expect(loaded).toEqual([id]);
  });

  it.each([
    ['ext_bob', 'user_bob', true],
    ['ext_carol', 'user_carol', false],
  ])('userByExternalId(%s) answers %s only when visible', async (ext, id, visible) => {
    const { access } = accessFor(user('user_alice'));
    const result = await access.userByExternalId(ext);
    expect(result?.id ?? null).toBe(visible ? id : null);
  });

  it.each([
    ['ext_admin', 'org_admin', true],
    ['ext_inactive', 'org_inactive', false],
  ])('organizationByExternalId(%s) answers %s only when readable', async (ext, id, readable) => {
    const { access } = accessFor(user('user_alice'));
    const result = await access.organizationByExternalId(ext);
    expect(result?.id ?? null).toBe(readable ? id : null);
  });

  it.each(WORLD.map((m) => [m.id, m.organizationId, ['org_admin', 'org_member', 'org_multi'].includes(m.organizationId)] as const))(
    'membership(%s) in %s: readable -> %s',
    async (id, _org, readable) => {
      const { access } = accessFor(user('user_alice'));
      const result = await access.membership(id);
      expect(result?.id ?? null).toBe(readable ? id : null);
    },
  );

  it('an absent membership is null, as a hidden one is', async () => {
    const { access } = accessFor(user('user_alice'));
    await expect(access.membership('om_absent')).resolves.toBeNull();
  });
});

describe('tenantOf', () => {
  it.each<[string, Caller, string]>([
    ['anonymous', ANONYMOUS, 'anonymous'],
    ['service', SERVICE, 'service:abc123'],
    ['user in an organization session', user('user_alice', { organizationId: 'org_admin' }), 'org:org_admin'],
    ['user without an organization', user('user_alice'), 'user:user_alice'],
  ])('%s -> %s', (_label, caller, tenant) => {
    expect(tenantOf(caller)).toBe(tenant);
  });
});
