import { describe, expect, it } from 'vitest';
import { changeOfEvent, staleAfter } from '../../src/cache/invalidation.ts';
import type { CachedEntry } from '../../src/cache/upstream-cache.ts';

const entry = (key: string, body = '{}'): CachedEntry => {
  const [path, query = ''] = key.split('?');
  return { path: path!, params: new URLSearchParams(query), body, contentType: 'application/json' };
};

const CACHED = [
  entry('/organizations/org_A'),
  entry('/organizations/org_B'),
  entry('/organizations?limit=10'),
  entry('/organizations/external_id/ext-a'),
  entry('/user_management/users/user_U'),
  entry('/user_management/users/user_V'),
  entry('/user_management/users?limit=10'),
  entry('/user_management/users?organization_id=org_A'),
  entry('/user_management/users?organization_id=org_B'),
  entry('/user_management/organization_memberships/om_1', '{"id":"om_1","user_id":"user_U","organization_id":"org_A"}'),
  entry('/user_management/organization_memberships?user_id=user_U'),
  entry('/user_management/organization_memberships?user_id=user_V'),
  entry('/user_management/organization_memberships?organization_id=org_A', '{"data":[{"user_id":"user_U"}]}'),
  entry('/user_management/organization_memberships?organization_id=org_B'),
  entry('/directories/directory_D'),
  entry('/directories?organization_id=org_A'),
  entry('/directory_users?directory=directory_D'),
  entry('/directory_users?directory=directory_E'),
  entry('/connections/conn_C'),
  entry('/connections?limit=10'),
];

const staleFor = (type: string, data: Record<string, unknown>) => {
  const change = changeOfEvent(type, data);
  if (!change) return [];
  const stale = staleAfter(change);
  return CACHED.filter(stale).map((e) => `${e.path}${e.params.size ? `?${e.params}` : ''}`);
};

describe('what each event makes stale', () => {
  it('organization: the object, by external id, the organization lists, membership answers naming it', () => {
    expect(staleFor('organization.updated', { id: 'org_A' })).toEqual([
      '/organizations/org_A',
      '/organizations?limit=10',
      '/organizations/external_id/ext-a',
      '/user_management/organization_memberships/om_1',
    ]);
  });

  it('membership: the object, its user’s and organization’s membership lists, the users of its organization', () => {
    expect(staleFor('organization_membership.created', { id: 'om_2', userId: 'user_V', organizationId: 'org_B' })).toEqual([
      '/user_management/users?organization_id=org_B',
      '/user_management/organization_memberships?user_id=user_V',
      '/user_management/organization_memberships?organization_id=org_B',
    ]);
  });

  it('user: the object, the user lists, membership answers embedding it', () => {
    expect(staleFor('user.updated', { id: 'user_U' })).toEqual([
      '/user_management/users/user_U',
      '/user_management/users?limit=10',
      '/user_management/users?organization_id=org_A',
      '/user_management/users?organization_id=org_B',
      '/user_management/organization_memberships/om_1',
      '/user_management/organization_memberships?organization_id=org_A',
    ]);
  });

  it('directory and connection events touch only their own kind; other events nothing', () => {
    expect(staleFor('dsync.user.updated', { id: 'directory_user_X', directoryId: 'directory_D' })).toEqual(['/directory_users?directory=directory_D']);
    expect(staleFor('dsync.deleted', { id: 'directory_D', organizationId: 'org_A' })).toEqual([
      '/directories/directory_D',
      '/directories?organization_id=org_A',
      '/directory_users?directory=directory_D',
    ]);
    expect(staleFor('connection.deleted', { id: 'conn_C' })).toEqual(['/connections/conn_C', '/connections?limit=10']);
    expect(staleFor('session.created', { id: 'session_1' })).toEqual([]);
  });
});
