import { describe, expect, it } from 'vitest';
import { changeOfEvent, fieldOf, staleAfter, type Change } from './invalidation.ts';
import type { CachedEntry } from './upstream-cache.ts';

const entry = (pathAndQuery: string, body = '{}'): CachedEntry => {
  const url = new URL(pathAndQuery, 'https://api.workos.com');
  return { path: url.pathname, params: url.searchParams, body, contentType: 'application/json' };
};

const M = '/user_management/organization_memberships';
const U = '/user_management/users';

describe('staleAfter', () => {
  const org: Change = { kind: 'organization', id: 'org_1' };
  const membership: Change = { kind: 'membership', id: 'om_1', userId: 'user_1', organizationId: 'org_1' };
  const membershipUnknown: Change = { kind: 'membership', id: 'om_1' };
  const userChange: Change = { kind: 'user', id: 'user_1' };
  const directoryLevel: Change = { kind: 'directory', id: 'directory_1', directoryId: 'directory_1', relatedIds: ['directory_1'] };
  const directoryUserEvent: Change = { kind: 'directory', id: 'directory_user_1', directoryId: 'directory_1', relatedIds: ['directory_user_1'] };
  const connection: Change = { kind: 'connection', id: 'conn_1' };

  it.each<[string, Change, CachedEntry, boolean]>([
    // organization
    ['org: itself', org, entry('/organizations/org_1'), true],
    ['org: another organization', org, entry('/organizations/org_2'), false],
    ['org: any by-external-id read', org, entry('/organizations/external_id/acme'), true],
    ['org: the organization list', org, entry('/organizations?limit=100'), true],
    ['org: a membership list naming it', org, entry(`${M}?organization_id=org_1`, '{"organization_id":"org_1"}'), true],
    ['org: a membership naming another org', org, entry(`${M}?organization_id=org_2`, '{"organization_id":"org_2"}'), false],
    ['org: a membership by id naming it', org, entry(`${M}/om_9`, '{"organization_id":"org_1"}'), true],
    ['org: user list', org, entry(`${U}?organization_id=org_1`), false],
    // membership, user and organization known
    ['membership: itself', membership, entry(`${M}/om_1`), true],
    ['membership: another by id', membership, entry(`${M}/om_2`), false],
    ["membership: its organization's list", membership, entry(`${M}?organization_id=org_1`), true],
    ["membership: its user's list", membership, entry(`${M}?user_id=user_1`), true],
    ['membership: a list naming it', membership, entry(`${M}?organization_id=org_9`, '{"id":"om_1"}'), true],
    ['membership: an unrelated list', membership, entry(`${M}?organization_id=org_9`, '{"id":"om_9"}'), false],
    ['membership: users of its organization', membership, entry(`${U}?organization_id=org_1`), true],
    ['membership: users of another organization', membership, entry(`${U}?organization_id=org_2`), false],
    ['membership: the unfiltered user list', membership, entry(`${U}?limit=10`), false],
    ['membership: a user by id', membership, entry(`${U}/user_1`), false],
    // membership, user or organization unknown
    ['unknown membership: every membership list', membershipUnknown, entry(`${M}?organization_id=org_9`), true],
    ['unknown membership: any organization-filtered user list', membershipUnknown, entry(`${U}?organization_id=org_9`), true],
    ['unknown membership: the unfiltered user list', membershipUnknown, entry(U), false],
    ['unknown membership: another membership by id', membershipUnknown, entry(`${M}/om_2`), false],
    // user
    ['user: itself', userChange, entry(`${U}/user_1`), true],
    ['user: another user', userChange, entry(`${U}/user_2`), false],
    ['user: any by-external-id read', userChange, entry(`${U}/external_id/e1`), true],
    ['user: every user list', userChange, entry(`${U}?organization_id=org_9`), true],
    ['user: a membership answer embedding it', userChange, entry(`${M}?organization_id=org_1`, '{"user":{"id":"user_1"}}'), true],
    ['user: a membership answer without it', userChange, entry(`${M}?organization_id=org_1`, '{"user":{"id":"user_2"}}'), false],
    ['user: an id that merely starts the same', userChange, entry(`${M}?organization_id=org_1`, '{"user_id":"user_10"}'), false],
    ['user: organizations', userChange, entry('/organizations'), false],
    // directory
    ['directory event: itself', directoryLevel, entry('/directories/directory_1'), true],
    ['directory event: the directory list', directoryLevel, entry('/directories?organization_id=org_1'), true],
    ['directory event: its users', directoryLevel, entry('/directory_users?directory=directory_1'), true],
    ['directory event: its groups', directoryLevel, entry('/directory_groups?directory=directory_1'), true],
    ['directory event: another directory', directoryLevel, entry('/directories/directory_2'), false],
    ["directory event: another directory's users", directoryLevel, entry('/directory_users?directory=directory_2'), false],
    ['directory user event: not the directory itself', directoryUserEvent, entry('/directories/directory_1'), false],
    ['directory user event: not the directory list', directoryUserEvent, entry('/directories'), false],
    ['directory user event: the user by id', directoryUserEvent, entry('/directory_users/directory_user_1', '{"id":"directory_user_1"}'), true],
    ["directory user event: the directory's user list", directoryUserEvent, entry('/directory_users?directory=directory_1'), true],
    ['directory user event: groups filtered by the user', directoryUserEvent, entry('/directory_groups?user=directory_user_1'), true],
    ['directory user event: unrelated groups', directoryUserEvent, entry('/directory_groups?directory=directory_2', '{"id":"directory_group_9"}'), false],
    // connection
    ['connection: itself', connection, entry('/connections/conn_1'), true],
    ['connection: the list', connection, entry('/connections?organization_id=org_1'), true],
    ['connection: another', connection, entry('/connections/conn_2'), false],
    ['connection: organizations', connection, entry('/organizations'), false],
  ])('%s -> %s', (_label, change, cached, stale) => {
    expect(staleAfter(change)(cached)).toBe(stale);
  });
});

describe('changeOfEvent', () => {
  it.each<[string, Record<string, unknown>, Change | null]>([
    ['organization.updated', { id: 'org_1' }, { kind: 'organization', id: 'org_1' }],
    ['organization.deleted', {}, null],
    ['organization_domain.verified', { id: 'org_domain_1', organizationId: 'org_1' }, { kind: 'organization', id: 'org_1' }],
    ['organization_domain.verified', { id: 'org_domain_1', organization_id: 'org_2' }, { kind: 'organization', id: 'org_2' }],
    ['organization_domain.created', { id: 'org_domain_1' }, null],
    [
      'organization_membership.created',
      { id: 'om_1', userId: 'user_1', organizationId: 'org_1' },
      { kind: 'membership', id: 'om_1', userId: 'user_1', organizationId: 'org_1' },
    ],
    [
      'organization_membership.deleted',
      { id: 'om_1', user_id: 'user_1', organization_id: 'org_1' },
      { kind: 'membership', id: 'om_1', userId: 'user_1', organizationId: 'org_1' },
    ],
    ['organization_membership.updated', { id: 'om_1' }, { kind: 'membership', id: 'om_1', userId: undefined, organizationId: undefined }],
    ['organization_membership.updated', { userId: 'user_1' }, null],
    ['user.updated', { id: 'user_1' }, { kind: 'user', id: 'user_1' }],
    ['user.deleted', { id: '' }, null],
    ['dsync.activated', { id: 'directory_1' }, { kind: 'directory', id: 'directory_1', directoryId: 'directory_1', relatedIds: ['directory_1'] }],
    [
      'dsync.user.updated',
      { id: 'directory_user_1', directory_id: 'directory_1' },
      { kind: 'directory', id: 'directory_user_1', directoryId: 'directory_1', relatedIds: ['directory_user_1'] },
    ],
    [
      'dsync.group.user_added',
      { directoryId: 'directory_1', user: { id: 'directory_user_1' }, group: { id: 'directory_group_1' } },
      { kind: 'directory', id: 'directory_1', directoryId: 'directory_1', relatedIds: ['directory_user_1', 'directory_group_1'] },
    ],
    ['dsync.deleted', {}, null],
    ['connection.activated', { id: 'conn_1' }, { kind: 'connection', id: 'conn_1' }],
    ['connection.deleted', {}, null],
    ['authentication.email_verification_succeeded', { id: 'x', userId: 'user_1' }, null],
    ['session.created', { id: 'session_1' }, null],
  ])('%s %j', (type, data, change) => {
    expect(changeOfEvent(type, data)).toEqual(change);
  });
});

describe('fieldOf', () => {
  it.each<[Record<string, unknown>, string | undefined]>([
    [{ organizationId: 'org_1' }, 'org_1'],
    [{ organization_id: 'org_2' }, 'org_2'],
    [{ organizationId: 'org_1', organization_id: 'org_2' }, 'org_1'],
    [{ organizationId: '', organization_id: 'org_2' }, 'org_2'],
    [{ organizationId: 42 }, undefined],
    [{}, undefined],
  ])('%j -> %s', (data, expected) => {
    expect(fieldOf(data, 'organizationId', 'organization_id')).toBe(expected);
  });
});
