import { monotonicFactory, type PRNG } from 'ulid';

/** WorkOS id prefixes (spec spelling). Longest-prefix-first matters for `directory_` vs `directory_user_`. */
export const ID_PREFIXES = {
  organization: 'org_',
  organizationDomain: 'org_domain_',
  user: 'user_',
  session: 'session_',
  membership: 'om_',
  invitation: 'invitation_',
  directory: 'directory_',
  directoryUser: 'directory_user_',
  directoryGroup: 'directory_group_',
  connection: 'conn_',
  connectionDomain: 'conn_domain_',
  event: 'event_',
  auditLogExport: 'audit_log_export_',
  emailVerification: 'email_verification_',
  magicAuth: 'magic_auth_',
  passwordReset: 'password_reset_',
  authFactor: 'auth_factor_',
  authChallenge: 'auth_challenge_',
  role: 'role_',
  webhookEndpoint: 'we_',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

/**
 * Other spellings, to stand in for a WorkOS-compatible upstream that differs in details
 * (e.g. WorkOS' open-source emulator writes `directory_grp_`, `audit_export_`, `inv_`, `evt_`).
 */
export type IdPrefixes = Partial<Record<IdKind, string>>;

/** Small deterministic PRNG (mulberry32) so the seed produces the same ids at every start. */
export function seededRandom(seed: number): PRNG {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Makes `<prefix>_<ULID>` ids. ULIDs sort by time, so ids sort by creation like WorkOS' do;
 * the monotonic factory keeps that true for ids made in the same millisecond.
 */
export class IdFactory {
  private readonly next: (time?: number) => string;
  constructor(
    prng?: PRNG,
    private readonly prefixes: IdPrefixes = {},
  ) {
    this.next = monotonicFactory(prng);
  }
  make(kind: IdKind, time?: number): string {
    return (this.prefixes[kind] ?? ID_PREFIXES[kind]) + this.next(time);
  }
  /** A bare ULID (JWT `jti`, opaque tokens). */
  ulid(time?: number): string {
    return this.next(time);
  }
}

/**
 * Id factory for objects made while the emulator runs: never issues an id older than `floor()`
 * (the last seeded object's time), so new objects sort after the seed even if the clock is behind.
 */
export class RuntimeIdFactory extends IdFactory {
  constructor(
    private readonly floor: () => number,
    prefixes: IdPrefixes = {},
  ) {
    super(undefined, prefixes);
  }
  override make(kind: IdKind, time?: number): string {
    return super.make(kind, time ?? Math.max(Date.now(), this.floor()));
  }
  override ulid(time?: number): string {
    return super.ulid(time ?? Math.max(Date.now(), this.floor()));
  }
}
