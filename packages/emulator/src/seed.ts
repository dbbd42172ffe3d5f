import type { DemoUser } from './context.ts';
import { IdFactory, seededRandom, type IdKind, type IdPrefixes } from './ids.ts';
import { membershipRecord } from './membership-record.ts';
import type {
  ConnectionRecord,
  DirectoryGroupRecord,
  DirectoryRecord,
  DirectoryUserRecord,
  MembershipRecord,
  OrganizationRecord,
  Store,
  UserRecord,
} from './store.ts';

export interface SeedOptions {
  organizations?: number;
  users?: number;
  directories?: number;
  directoryUsersPerDirectory?: number;
  connections?: number;
}

export const DEFAULT_SEED: Required<SeedOptions> = {
  organizations: 20,
  users: 200,
  directories: 5,
  directoryUsersPerDirectory: 20,
  connections: 10,
};

/** Seeded objects are dated from here on, one second apart, so ids and timestamps sort alike. */
export const SEED_BASE_TIME = Date.UTC(2026, 0, 1);
const STEP_MS = 1000;

/** Sign-in details printed by the CLI; the first users of the seed. */
export const DEMO_USERS: DemoUser[] = [
  { email: 'alice@acme.test', password: 'Password123!', role: 'admin', organizationName: 'Acme Corp' },
  { email: 'bob@acme.test', password: 'Password123!', role: 'member', organizationName: 'Acme Corp' },
  { email: 'carol@globex.test', password: 'Password123!', role: 'admin', organizationName: 'Globex Corporation' },
  { email: 'dave@acme.test', password: 'Password123!', role: 'member', organizationName: 'Acme Corp', emailVerified: false },
  { email: 'erin@acme.test', password: 'Password123!', role: 'member', organizationName: 'Acme Corp', totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' },
];
const DEMO_NAMES: [string, string][] = [
  ['Alice', 'Admin'],
  ['Bob', 'Member'],
  ['Carol', 'Owner'],
  ['Dave', 'Unverified'],
  ['Erin', 'Twofactor'],
];

const ORG_NAMES = [
  'Acme Corp', 'Globex Corporation', 'Initech', 'Umbrella Corp', 'Hooli', 'Stark Industries',
  'Wayne Enterprises', 'Wonka Industries', 'Soylent Corp', 'Tyrell Corp', 'Cyberdyne Systems',
  'Vandelay Industries', 'Pied Piper', 'Massive Dynamic', 'Oscorp', 'Aperture Science',
  'Black Mesa', 'Gringotts', 'Monsters Inc', 'Dunder Mifflin',
];
const FIRST = ['James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'Sam', 'Priya', 'Wei', 'Fatima', 'Carlos', 'Yuki'];
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Lopez', 'Wilson', 'Khan', 'Chen', 'Okafor', 'Nguyen', 'Silva', 'Tanaka'];
const DIRECTORY_TYPES = ['okta scim v2.0', 'gsuite directory', 'azure scim v2.0', 'generic scim v2.0', 'onelogin scim v2.0'];
const CONNECTION_TYPES = ['OktaSAML', 'GoogleOAuth', 'AzureSAML', 'GenericOIDC', 'GenericSAML', 'OneLoginSAML', 'MicrosoftOAuth', 'PingOneSAML', 'JumpCloudSAML', 'EntraIdOIDC'];
const GROUP_NAMES = ['Engineering', 'Sales', 'Support', 'Admins'];

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/(^-|-$)/g, '');
const pad = (n: number, width = 4) => String(n).padStart(width, '0');

/** A clock that hands out strictly increasing seed times and ids made at those times. */
class SeedClock {
  private t = SEED_BASE_TIME;
  private readonly ids: IdFactory;
  constructor(prefixes: IdPrefixes) {
    this.ids = new IdFactory(seededRandom(20260101), prefixes);
  }
  next(kind: IdKind): { id: string; at: string } {
    this.t += STEP_MS;
    return { id: this.ids.make(kind, this.t), at: new Date(this.t).toISOString() };
  }
  get last(): number {
    return this.t;
  }
}

/** Time of the last seeded object for `options`: runtime ids are kept after it. */
export interface SeedResult {
  lastTime: number;
}

/**
 * Fills `store` (expected empty) with the same data at every call: same ids, names, passwords.
 * Demo users come first; every 5th user also joins a second organization, every 25th a third.
 */
export function seedStore(store: Store, options: SeedOptions = {}, prefixes: IdPrefixes = {}): SeedResult {
  const o = { ...DEFAULT_SEED, ...options };
  const clock = new SeedClock(prefixes);
  const orgs = seedOrganizations(store, clock, o.organizations);
  seedUsers(store, clock, orgs, o.users);
  seedDirectories(store, clock, orgs, o.directories, o.directoryUsersPerDirectory);
  seedConnections(store, clock, orgs, o.connections);
  return { lastTime: clock.last };
}

function orgName(i: number): string {
  const base = ORG_NAMES[i % ORG_NAMES.length];
  return i < ORG_NAMES.length ? base : `${base} ${Math.floor(i / ORG_NAMES.length) + 1}`;
}

function seedOrganizations(store: Store, clock: SeedClock, count: number): OrganizationRecord[] {
  const orgs: OrganizationRecord[] = [];
  for (let i = 0; i < count; i++) {
    const { id, at } = clock.next('organization');
    const name = orgName(i);
    const domain = i < ORG_NAMES.length ? `${slug(name).split('-')[0]}.test` : `${slug(name)}.test`;
    const dom = clock.next('organizationDomain');
    const org: OrganizationRecord = {
      object: 'organization',
      id,
      name,
      domains: [
        {
          object: 'organization_domain',
          id: dom.id,
          organization_id: id,
          domain,
          state: 'verified',
          verification_strategy: 'dns',
          created_at: at,
          updated_at: at,
        },
      ],
      metadata: { tier: i % 3 === 0 ? 'enterprise' : 'standard' },
      external_id: i % 2 === 0 ? `ext_org_${pad(i)}` : null,
      allow_profiles_outside_organization: false,
      created_at: at,
      updated_at: at,
    };
    store.organizations.set(id, org);
    orgs.push(org);
  }
  return orgs;
}

function seedUsers(store: Store, clock: SeedClock, orgs: OrganizationRecord[], count: number): void {
  const memberCount = new Map<string, number>();
  const addMembership = (user: UserRecord, org: OrganizationRecord, role: string, status: MembershipRecord['status']) => {
    const { id, at } = clock.next('membership');
    store.memberships.set(id, membershipRecord(id, at, user, org, role, status));
    memberCount.set(org.id, (memberCount.get(org.id) ?? 0) + 1);
  };

  // Every organization gets some pending (invited) and inactive members: the 6th and 7th of every 7.
  const statusFor = (org: OrganizationRecord): MembershipRecord['status'] => {
    const k = memberCount.get(org.id) ?? 0;
    return k % 7 === 5 ? 'pending' : k % 7 === 6 ? 'inactive' : 'active';
  };
  for (let i = 0; i < count; i++) {
    const demo = DEMO_USERS[i];
    const [first, last] = demo ? DEMO_NAMES[i] : [FIRST[i % FIRST.length], LAST[Math.floor(i / FIRST.length) % LAST.length]];
    const primary = demo ? orgs.find((o) => o.name === demo.organizationName) : orgs[i % orgs.length];
    const domain = primary?.domains[0]?.domain ?? 'example.test';
    const { id, at } = clock.next('user');
    const user: UserRecord = {
      object: 'user',
      id,
      email: demo ? demo.email : `${first}.${last}.${pad(i)}@${domain}`.toLowerCase(),
      email_verified: demo ? demo.emailVerified !== false : i % 7 !== 0,
      first_name: first,
      last_name: last,
      profile_picture_url: null,
      external_id: i % 2 === 0 ? `ext_user_${pad(i, 5)}` : null,
      last_sign_in_at: null,
      metadata: {},
      locale: null,
      created_at: at,
      updated_at: at,
    };
    store.users.set(id, user);
    // Only demo users get a password: the others sign in by magic auth, as invited users would.
    if (demo) store.auth.passwords.set(id, demo.password);
    if (demo?.totpSecret) {
      const factor = clock.next('authFactor');
      store.auth.authFactors.set(factor.id, {
        id: factor.id,
        userId: id,
        type: 'totp',
        secret: demo.totpSecret,
        issuer: 'WorkOS',
        user: user.email,
        createdAt: factor.at,
      });
    }
    if (!primary) continue;

    // The first member of an organization is its admin; later ones are admin one time in six.
    const isFirst = !memberCount.get(primary.id);
    const role = demo ? demo.role : isFirst || i % 6 === 0 ? 'admin' : 'member';
    addMembership(user, primary, role, demo || isFirst ? 'active' : statusFor(primary));
    // Carol (and every 5th user) belongs to a second organization, every 25th to a third.
    const extra = i === 2 ? [orgs[0]] : i % 5 === 0 && orgs.length > 1 ? [orgs[(i + 1) % orgs.length]] : [];
    if (!demo && i % 25 === 0 && orgs.length > 2) extra.push(orgs[(i + 2) % orgs.length]);
    for (const org of extra) if (org !== primary) addMembership(user, org, 'member', demo ? 'active' : statusFor(org));
  }
}

function seedDirectories(store: Store, clock: SeedClock, orgs: OrganizationRecord[], count: number, usersPer: number): void {
  for (let d = 0; d < count && orgs.length > 0; d++) {
    const org = orgs[d % orgs.length];
    const domain = org.domains[0]?.domain ?? null;
    const type = DIRECTORY_TYPES[d % DIRECTORY_TYPES.length];
    const { id, at } = clock.next('directory');
    const dir: DirectoryRecord = {
      object: 'directory',
      id,
      organization_id: org.id,
      external_key: `dir-key-${pad(d)}`,
      type,
      state: 'linked',
      name: `${org.name} ${type.split(' ')[0]} directory`,
      domain,
      created_at: at,
      updated_at: at,
    };
    store.directories.set(id, dir);

    const groups: DirectoryGroupRecord[] = GROUP_NAMES.map((name, g) => {
      const { id: gid, at: gat } = clock.next('directoryGroup');
      const group: DirectoryGroupRecord = {
        object: 'directory_group',
        id: gid,
        idp_id: `grp-${pad(d)}-${g}`,
        directory_id: id,
        organization_id: org.id,
        name,
        raw_attributes: {},
        created_at: gat,
        updated_at: gat,
      };
      store.directoryGroups.set(gid, group);
      return group;
    });

    for (let u = 0; u < usersPer; u++) {
      const first = FIRST[(u + d) % FIRST.length];
      const last = LAST[(u * 3 + d) % LAST.length];
      const email = `${first}.${last}.d${d}u${u}@${domain ?? 'example.test'}`.toLowerCase();
      const { id: uid, at: uat } = clock.next('directoryUser');
      // Everyone is in one group; every third user is in a second one.
      const groupIds = [groups[u % groups.length].id];
      if (u % 3 === 0) groupIds.push(groups[(u + 1) % groups.length].id);
      const du: DirectoryUserRecord = {
        object: 'directory_user',
        id: uid,
        directory_id: id,
        organization_id: org.id,
        idp_id: `idp-${pad(d)}-${pad(u)}`,
        email,
        first_name: first,
        last_name: last,
        emails: [{ primary: true, type: 'work', value: email }],
        username: email,
        state: u % 10 === 9 ? 'inactive' : 'active',
        raw_attributes: {},
        custom_attributes: { department: GROUP_NAMES[u % GROUP_NAMES.length] },
        role: { slug: 'member' },
        group_ids: groupIds,
        created_at: uat,
        updated_at: uat,
      };
      store.directoryUsers.set(uid, du);
    }
  }
}

function seedConnections(store: Store, clock: SeedClock, orgs: OrganizationRecord[], count: number): void {
  for (let i = 0; i < count && orgs.length > 0; i++) {
    const org = orgs[i % orgs.length];
    const type = CONNECTION_TYPES[i % CONNECTION_TYPES.length];
    const { id, at } = clock.next('connection');
    const dom = clock.next('connectionDomain');
    const conn: ConnectionRecord = {
      object: 'connection',
      id,
      organization_id: org.id,
      connection_type: type,
      name: `${org.name} ${type}`,
      state: i % 7 === 6 ? 'inactive' : 'active',
      status: i % 7 === 6 ? 'unlinked' : 'linked',
      domains: [{ id: dom.id, object: 'connection_domain', domain: org.domains[0]?.domain ?? 'example.test' }],
      created_at: at,
      updated_at: at,
    };
    store.connections.set(id, conn);
  }
}
