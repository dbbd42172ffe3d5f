/**
 * WorkOS ids are `<prefix>_<ULID>`; the prefix names the object type, so `node(id:)` can
 * dispatch on it and a malformed id can be refused before any upstream call.
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
  Invitation: 'invitation_',
  OrganizationDomain: 'org_domain_',
} as const;

export type NodeTypeName = keyof typeof NODE_PREFIXES;

const ULID = '[0-9A-HJKMNP-TV-Z]{26}';

// Longest prefix first: `directory_user_` must win over `directory_` (and `org_domain_` over `org_`).
const byLength = (Object.entries(NODE_PREFIXES) as [NodeTypeName, string][]).sort(
  (a, b) => b[1].length - a[1].length,
);
const patterns = new Map(
  byLength.map(([type, prefix]) => [type, new RegExp(`^${prefix}${ULID}$`)] as const),
);

/** The GraphQL type an id belongs to, or undefined for a malformed or unknown id. */
export function nodeTypeOf(id: string): NodeTypeName | undefined {
  for (const [type, pattern] of patterns) if (pattern.test(id)) return type;
  return undefined;
}

export function isIdOf(type: NodeTypeName, id: string): boolean {
  return patterns.get(type)!.test(id);
}
