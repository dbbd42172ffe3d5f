import type { MembershipRecord, OrganizationRecord, UserRecord } from './store.ts';

/** A new membership as WorkOS creates one: one role, not directory-managed. */
export function membershipRecord(
  id: string,
  at: string,
  user: Pick<UserRecord, 'id'>,
  org: Pick<OrganizationRecord, 'id' | 'name'>,
  role: string,
  status: MembershipRecord['status'],
): MembershipRecord {
  return {
    object: 'organization_membership',
    id,
    user_id: user.id,
    organization_id: org.id,
    organization_name: org.name,
    status,
    directory_managed: false,
    custom_attributes: {},
    role: { slug: role },
    roles: [{ slug: role }],
    created_at: at,
    updated_at: at,
  };
}
