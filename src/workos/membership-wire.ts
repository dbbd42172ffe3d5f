import type {
  OrganizationMembership,
  OrganizationMembershipResponse,
  User,
  UserResponse,
} from '@workos-inc/node';

/**
 * WorkOS memberships carry their user on the wire, but the SDK's deserializer drops it.
 * The gateway reads memberships raw so that one membership page also answers its users.
 */
export interface MembershipWire extends OrganizationMembershipResponse {
  user?: UserResponse;
}

export function userFromWire(raw: UserResponse): User {
  return {
    object: 'user',
    id: raw.id,
    email: raw.email,
    emailVerified: raw.email_verified,
    profilePictureUrl: raw.profile_picture_url ?? null,
    name: raw.name ?? ([raw.first_name, raw.last_name].filter(Boolean).join(' ') || null),
    firstName: raw.first_name ?? null,
    lastName: raw.last_name ?? null,
    lastSignInAt: raw.last_sign_in_at ?? null,
    locale: raw.locale ?? null,
    createdAt: raw.created_at,
    updatedAt: raw.updated_at,
    externalId: raw.external_id ?? null,
    metadata: raw.metadata ?? {},
  };
}

export function membershipFromWire(raw: MembershipWire): { membership: OrganizationMembership; user?: User } {
  return {
    membership: {
      object: 'organization_membership',
      id: raw.id,
      organizationId: raw.organization_id,
      organizationName: raw.organization_name,
      status: raw.status,
      userId: raw.user_id,
      directoryManaged: raw.directory_managed ?? false,
      createdAt: raw.created_at,
      updatedAt: raw.updated_at,
      customAttributes: raw.custom_attributes ?? {},
      role: raw.role,
      roles: raw.roles,
    },
    user: raw.user ? userFromWire(raw.user) : undefined,
  };
}
