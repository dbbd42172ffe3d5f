import type { GatewayContext } from '../context/context.ts';
import { unauthenticated } from '../auth/authenticate.ts';
import { GatewayError } from '../errors/codes.ts';
import type { Permission } from '../auth/permissions.ts';

/**
 * The scopes fields and types declare (`authScopes`), checked by @pothos/plugin-scope-auth
 * before a resolver runs; each result is cached for the request by scope and parameter.
 */
export interface GatewayAuthScopes {
  /** Any authenticated caller (user or service). */
  signedIn: boolean;
  /** A backend with a service token. */
  service: boolean;
  /** The signed-in user is this user. */
  self: string;
  /** The caller may read this organization and what belongs to it. */
  memberOf: string;
  /** The caller may change this organization in the way the permission names. */
  adminOf: { organizationId: string; permission: Permission };
  /** The caller may see this user. */
  seesUser: string;
}

/** Granted by a field to the object it returns: access that follows from how it was reached. */
export const VISIBLE_USER = 'visibleUser';

export function authScopesFor(ctx: GatewayContext) {
  const { caller, access } = ctx;
  return {
    signedIn: caller.kind !== 'anonymous',
    service: caller.kind === 'service',
    self: (userId: string) => caller.kind === 'user' && caller.userId === userId,
    memberOf: (organizationId: string) => access.canRead(organizationId),
    adminOf: ({ organizationId, permission }: GatewayAuthScopes['adminOf']) => access.canAdminister(organizationId, permission),
    seesUser: (userId: string) => access.canSeeUser(userId),
  };
}

/** Scope parameters are strings or small objects: one key per distinct value. */
export const scopeCacheKey = (value: unknown): unknown => (typeof value === 'object' && value !== null ? JSON.stringify(value) : value);

/** The same refusal for every denied field: it says neither which rule failed nor whether the object exists. */
export function forbidden(): GatewayError {
  return new GatewayError('FORBIDDEN', 'Not allowed.');
}

export const denialFor = (ctx: GatewayContext): GatewayError => (ctx.caller.kind === 'anonymous' ? unauthenticated() : forbidden());

// ---- scope maps the schema files declare ----

export const serviceOnly = { service: true } as const;

export const readsOrganization = (organizationId: string) => ({ service: true, memberOf: organizationId });

export const administers = (organizationId: string, permission: Permission) => ({
  service: true,
  adminOf: { organizationId, permission },
});

/** Admin of the organization and able to see the user already: adding members from elsewhere is a service's job. */
export const administersFor = (organizationId: string, permission: Permission, userId: string) => ({
  service: true,
  $all: { adminOf: { organizationId, permission }, seesUser: userId },
});

/** Type scope of objects that carry their organization: readable with it (service-only without one). */
export const ofOrganization = (item: { organizationId?: string | null }) =>
  item.organizationId ? readsOrganization(item.organizationId) : serviceOnly;

/**
 * Field scope of a mutation on an existing object whose organization is known only once it is
 * loaded: a service caller passes without the load; for others an absent object and one of
 * another organization are refused alike.
 */
export function administersOwnerOf(
  permission: Permission,
  ownerOf: (ctx: GatewayContext, id: string) => Promise<string | null | undefined>,
) {
  return async (_parent: unknown, args: { input: { id: string | number } }, ctx: GatewayContext) => {
    if (ctx.caller.kind === 'service') return true;
    const owner = await ownerOf(ctx, String(args.input.id));
    return owner ? administers(owner, permission) : serviceOnly;
  };
}
