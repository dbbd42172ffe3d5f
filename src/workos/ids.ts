/**
 * WorkOS ids are `<prefix>_<ULID>`; the prefix names the object type, so `node(id:)` can
 * dispatch on it and a malformed id can be refused before any upstream call. The prefixes are
 * WorkOS' spelling; a WorkOS-compatible upstream may spell some otherwise (`directory_grp_`,
 * `audit_export_`), so typed fields accept any well-formed id that is not another type's, and
 * `node(id:)` also knows the prefixes of ids the gateway has been given by its upstream.
 */
export const NODE_PREFIXES = {
  Organization: 'org_',
  User: 'user_',
  OrganizationMembership: 'om_',
  Directory: 'directory_',
  DirectoryUser: 'directory_user_',
  DirectoryGroup: 'directory_group_',
  SsoConnection: 'conn_',
  AuditLogExport: 'audit_log_export_',
} as const;

export type NodeTypeName = keyof typeof NODE_PREFIXES;

/** WorkOS objects the schema does not address by id: their ids are never one of the node types. */
const OTHER_PREFIXES = [
  'org_domain_',
  'conn_domain_',
  'session_',
  'invitation_',
  'event_',
  'email_verification_',
  'magic_auth_',
  'password_reset_',
  'auth_factor_',
  'auth_challenge_',
  'role_',
  'we_',
];

/** `<lowercase prefix>_<ULID>`: the shape of every WorkOS id, whatever its prefix. */
const WELL_FORMED = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*_[0-9A-HJKMNP-TV-Z]{26}$/;
const ULID_LENGTH = 26;

const STATIC = new Map<string, NodeTypeName | null>([
  ...(Object.entries(NODE_PREFIXES) as [NodeTypeName, string][]).map(([type, prefix]) => [prefix, type] as const),
  ...OTHER_PREFIXES.map((prefix) => [prefix, null] as const),
]);

export const isWellFormedId = (id: string): boolean => WELL_FORMED.test(id);

/** The prefix of a well-formed id (`directory_grp_`), undefined for anything else. */
export const prefixOf = (id: string): string | undefined => (isWellFormedId(id) ? id.slice(0, -ULID_LENGTH) : undefined);

/**
 * Whether `id` may name an object of `type`: well-formed, and its prefix is not WorkOS' prefix
 * of another type (a `user_` id is never an organization); an unknown prefix may be this
 * upstream's spelling.
 */
export function isIdOf(type: NodeTypeName, id: string): boolean {
  const prefix = prefixOf(id);
  if (prefix === undefined) return false;
  return !STATIC.has(prefix) || STATIC.get(prefix) === type;
}

/** Learned prefixes kept at most: an upstream spells a handful of types its own way. */
const MAX_LEARNED = 64;

/**
 * The prefixes of ids the upstream handed the gateway (list pages, reads, creates), per type,
 * so `node(id:)` can dispatch an id in this upstream's spelling. A prefix seen for two types is
 * ambiguous and dispatches nowhere. Gateway-wide and bounded.
 */
export class IdPrefixes {
  private readonly learned = new Map<string, NodeTypeName | null>();

  learn(type: NodeTypeName, id: string): void {
    const prefix = prefixOf(id);
    if (prefix === undefined || STATIC.has(prefix)) return;
    const known = this.learned.get(prefix);
    if (known === undefined) {
      if (this.learned.size < MAX_LEARNED) this.learned.set(prefix, type);
    } else if (known !== type) {
      this.learned.set(prefix, null);
    }
  }

  /** The type of an id: by WorkOS' prefixes, else by what this upstream was seen to use. */
  typeOf(id: string): NodeTypeName | undefined {
    const prefix = prefixOf(id);
    if (prefix === undefined) return undefined;
    if (STATIC.has(prefix)) return STATIC.get(prefix) ?? undefined;
    return this.learned.get(prefix) ?? undefined;
  }
}
