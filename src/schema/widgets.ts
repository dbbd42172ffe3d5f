import type { WidgetSessionTokenScopes } from '@workos-inc/node';
import { z } from 'zod';
import { PERMISSIONS, type Permission } from '../auth/permissions.ts';
import { WRITE } from './cost.ts';
import { builder } from './builder.ts';
import { writeErrors } from './payloads.ts';
import { idOf } from './validators.ts';

const WidgetScopeEnum = builder.enumType('WidgetScope', {
  description: 'What a WorkOS widget may do with its token.',
  values: {
    USERS_TABLE_MANAGE: { value: 'widgets:users-table:manage', description: 'The users table: invite, remove, change roles.' },
    DOMAIN_VERIFICATION_MANAGE: { value: 'widgets:domain-verification:manage', description: 'Domain verification.' },
    SSO_MANAGE: { value: 'widgets:sso:manage', description: 'SSO connections.' },
    API_KEYS_MANAGE: { value: 'widgets:api-keys:manage', description: 'The organization’s API keys.' },
    DSYNC_MANAGE: { value: 'widgets:dsync:manage', description: 'Directory Sync.' },
    AUDIT_LOG_STREAMING_MANAGE: { value: 'widgets:audit-log-streaming:manage', description: 'Audit log streaming.' },
  } as const,
});

/** The permission (besides the admin role) each widget scope needs. */
const SCOPE_PERMISSION: Record<string, Permission> = {
  'widgets:users-table:manage': PERMISSIONS.users,
  'widgets:domain-verification:manage': PERMISSIONS.organizations,
  'widgets:sso:manage': PERMISSIONS.organizations,
  'widgets:api-keys:manage': PERMISSIONS.organizations,
  'widgets:dsync:manage': PERMISSIONS.organizations,
  'widgets:audit-log-streaming:manage': PERMISSIONS.auditLogs,
};

const WidgetTokenPayload = builder.objectRef<{ token: string }>('WidgetTokenPayload').implement({
  description: 'A short-lived token for WorkOS’ React widgets (pass it as their authToken). It is not logged.',
  fields: (t) => ({ token: t.exposeString('token', { description: 'The widget token.' }) }),
});

builder.mutationField('createWidgetToken', (t) =>
  t.fieldWithInput({
    ...WRITE,
    description:
      'A token for WorkOS’ widgets, for the signed-in user in the organization, with the scopes asked for. Needs the ' +
      'organization’s admin role, or the permission of every scope (users:manage for the users table, ' +
      'organizations:manage for SSO, directory sync, domains and API keys, audit_logs:manage for log streaming).',
    type: WidgetTokenPayload,
    errors: writeErrors(),
    authScopes: async (_root, { input }, ctx) => {
      const organizationId = String(input.organizationId);
      const needed = [...new Set(input.scopes.map((scope) => SCOPE_PERMISSION[scope]))];
      const allowed = await Promise.all(needed.map((permission) => ctx.access.canAdminister(organizationId, permission)));
      return allowed.every(Boolean);
    },
    input: {
      organizationId: t.input.id({ required: true, validate: idOf('Organization'), description: 'The organization the widgets act on.' }),
      scopes: t.input.field({
        type: [WidgetScopeEnum],
        required: true,
        validate: z.array(z.string()).min(1, { message: 'Ask for at least one scope.' }).max(6),
        description: 'What the widgets may do.',
      }),
    },
    resolve: async (_root, { input }, ctx) => ({
      token: await ctx.admin.writes.createWidgetToken({
        organizationId: String(input.organizationId),
        userId: ctx.caller.kind === 'user' ? ctx.caller.userId : undefined,
        scopes: [...new Set(input.scopes)] as WidgetSessionTokenScopes[],
      }),
    }),
  }),
);
