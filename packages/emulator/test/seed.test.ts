import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, seedStore } from '../src/seed.ts';
import { startEmulator, type EmulatorHandle } from '../src/server.ts';
import { Store } from '../src/store.ts';
import { api } from './helpers.ts';

const started: EmulatorHandle[] = [];
afterAll(async () => {
  await Promise.all(started.map((e) => e.close()));
});
const start = async (...args: Parameters<typeof startEmulator>) => {
  const em = await startEmulator(...args);
  started.push(em);
  return em;
};

const snapshot = (s: Store) =>
  JSON.stringify({
    orgs: [...s.organizations.values()],
    users: [...s.users.values()],
    memberships: [...s.memberships.values()],
    directories: [...s.directories.values()],
    groups: [...s.directoryGroups.values()],
    dirUsers: [...s.directoryUsers.values()],
    connections: [...s.connections.values()],
    passwords: [...s.auth.passwords],
  });

describe('seed', () => {
  it('has the default shape', async () => {
    const em = await start();
    const s = em.store;
    expect(s.organizations.size).toBe(20);
    // 200 users, plus the two demo users seeded last (frank@initech.test, grace@umbrella.test).
    expect(s.users.size).toBe(202);
    expect(s.directories.size).toBe(5);
    expect(s.directoryUsers.size).toBe(100);
    expect(s.connections.size).toBe(10);
    const acme = [...s.organizations.values()][0];
    expect(acme).toMatchObject({ name: 'Acme Corp', domains: [expect.objectContaining({ domain: 'acme.test' })] });

    const perUser = new Map<string, number>();
    for (const m of s.memberships.values()) perUser.set(m.user_id, (perUser.get(m.user_id) ?? 0) + 1);
    expect([...perUser.values()].filter((n) => n >= 2).length).toBeGreaterThan(10);
    const roles = new Set([...s.memberships.values()].map((m) => m.role.slug));
    expect(roles).toEqual(new Set(['admin', 'member']));

    // Ids sort by creation, like WorkOS'.
    const orgIds = [...s.organizations.keys()];
    expect([...orgIds].sort()).toEqual(orgIds);
    expect(em.clientId).toMatch(/^client_[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('has demo users with known passwords, an admin and a member of Acme Corp', async () => {
    const em = await start();
    const acmeAdmin = DEMO_USERS.find((u) => u.organizationName === 'Acme Corp' && u.role === 'admin')!;
    const acmeMember = DEMO_USERS.find((u) => u.organizationName === 'Acme Corp' && u.role === 'member')!;
    for (const demo of [acmeAdmin, acmeMember]) {
      const user = [...em.store.users.values()].find((u) => u.email === demo.email)!;
      expect(em.store.auth.passwords.get(user.id)).toBe(demo.password);
      const m = [...em.store.memberships.values()].find((x) => x.user_id === user.id && x.organization_name === 'Acme Corp')!;
      expect(m).toMatchObject({ status: 'active', role: { slug: demo.role } });
    }
    const signIn = (demo: { email: string; password: string }) =>
      api(em, 'POST', '/user_management/authenticate', {
        client_id: em.clientId,
        client_secret: em.apiKey,
        grant_type: 'password',
        email: demo.email,
        password: demo.password,
      });
    expect((await signIn(acmeMember)).status).toBe(200);
    // Alice is also a member of Globex: she picks the organization next.
    const alice = await signIn(acmeAdmin);
    expect(alice).toMatchObject({ status: 403, body: { code: 'organization_selection_required' } });
  });

  it('has the admin screens’ data: roles, invitations, a domain to verify, sessions, policies, audit log actions', async () => {
    const em = await start();
    const s = em.store;
    const org = (name: string) => [...s.organizations.values()].find((o) => o.name === name)!;
    const acme = org('Acme Corp');
    expect([...s.roles.values()].filter((r) => r.type === 'EnvironmentRole').map((r) => r.slug)).toEqual(['admin', 'member']);
    expect([...s.roles.values()].filter((r) => r.organization_id === acme.id).map((r) => r.slug)).toEqual(['billing-admin', 'viewer']);
    const acmeInvites = [...s.invitations.values()].filter((i) => i.organization_id === acme.id);
    expect(acmeInvites.map((i) => i.email)).toEqual(['new.hire@acme.test', 'billing@acme.test', 'late.reply@acme.test', 'changed.mind@acme.test']);
    expect(org('Hooli').domains.find((d) => d.state === 'pending')).toMatchObject({ domain: 'hooli-labs.test', verification_strategy: 'dns' });
    const withPassword = [...s.auth.passwords.keys()];
    expect(withPassword).toHaveLength(DEMO_USERS.length);
    expect(new Set([...s.sessions.values()].map((x) => x.user_id))).toEqual(new Set(withPassword));
    expect(s.authPolicies.get(org('Initech').id)).toEqual({ ssoRequired: true });
    expect(s.authPolicies.get(org('Umbrella Corp').id)).toEqual({ mfaRequired: true });
    expect([...s.auditLogActions.keys()]).toEqual(['user.signed_in', 'user.invited', 'document.updated']);
    expect(s.auditLogRetention.get(acme.id)).toBe(365);
  });

  it('an empty emulator still has the environment roles', async () => {
    const em = await start({ seed: false });
    expect([...em.store.roles.values()].map((r) => r.slug)).toEqual(['admin', 'member']);
  });

  it('is the same at every start, and reset brings it back', async () => {
    const a = await start();
    const b = await start();
    expect(snapshot(b.store)).toBe(snapshot(a.store));
    expect(b.clientId).toBe(a.clientId);

    const seeded = snapshot(a.store);
    const org = [...a.store.organizations.keys()][3];
    await api(a, 'DELETE', `/organizations/${org}`);
    await api(a, 'POST', '/user_management/users', { email: 'extra@example.test' });
    a.faults.add({ path: '/**', status: 500 });
    expect(snapshot(a.store)).not.toBe(seeded);
    a.reset();
    expect(snapshot(a.store)).toBe(seeded);
    expect(a.store.events).toHaveLength(0);
    expect(a.requests.total()).toBe(0);
    expect((await api(a, 'GET', `/organizations/${org}`)).status).toBe(200);
  });

  it('new objects sort after the seed', async () => {
    const em = await start({ seed: { users: 10 } });
    const res = await api(em, 'POST', '/user_management/users', { email: 'late@example.test' });
    const id = (res.body as { id: string }).id;
    expect([...em.store.users.keys()].every((k) => k <= id)).toBe(true);
  });

  it('seeds thousands of users quickly (time printed, not asserted)', () => {
    const store = new Store();
    const t0 = performance.now();
    seedStore(store, { users: 5000, organizations: 200 });
    const ms = performance.now() - t0;
    console.log(`seeded 5,000 users, 200 organizations, ${store.memberships.size} memberships in ${ms.toFixed(0)} ms`);
    expect(store.users.size).toBe(5002);
    expect(new Set([...store.users.values()].map((u) => u.email)).size).toBe(5002);
  });

  it('can start empty', async () => {
    const em = await start({ seed: false });
    expect(em.store.organizations.size).toBe(0);
    const res = await api(em, 'GET', '/organizations');
    expect(res.body).toEqual({ object: 'list', data: [], list_metadata: { before: null, after: null } });
  });
});
