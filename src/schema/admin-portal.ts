import type { GenerateLinkIntent } from '@workos-inc/node';
import { z } from 'zod';
import { PERMISSIONS, type Permission } from '../auth/permissions.ts';
import { administers } from './auth-scopes.ts';
import { WRITE } from './cost.ts';
import { builder } from './builder.ts';
import { writeErrors } from './payloads.ts';
import { idOf } from './validators.ts';

const AdminPortalIntentEnum = builder.enumType('AdminPortalIntent', {
  description: 'What an Admin Portal link lets the organization’s IT admin set up.',
  values: {
    SSO: { value: 'sso', description: 'An SSO connection.' },
    DSYNC: { value: 'dsync', description: 'A Directory Sync directory.' },
    DOMAIN_VERIFICATION: { value: 'domain_verification', description: 'Domain verification.' },
    AUDIT_LOGS: { value: 'audit_logs', description: 'The audit log viewer and export.' },
    LOG_STREAMS: { value: 'log_streams', description: 'Audit log streaming to their SIEM.' },
    CERTIFICATE_RENEWAL: { value: 'certificate_renewal', description: 'Renewing an SSO certificate.' },
  } as const,
});

/** What each intent changes, so which permission (besides the admin role) allows it. */
const INTENT_PERMISSION: Record<string, Permission> = {
  sso: PERMISSIONS.organizations,
  dsync: PERMISSIONS.organizations,
  domain_verification: PERMISSIONS.organizations,
  certificate_renewal: PERMISSIONS.organizations,
  audit_logs: PERMISSIONS.auditLogs,
  log_streams: PERMISSIONS.auditLogs,
};

/** Where WorkOS may send the admin back to: an http(s) URL. */
const webUrl = z
  .string()
  .max(2048)
  .refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), { message: 'Expected an http(s) URL.' });

const AdminPortalLinkPayload = builder.objectRef<{ link: string }>('AdminPortalLinkPayload').implement({
  description: 'A one-time Admin Portal link; open it right away (it expires within minutes). It is not logged.',
  fields: (t) => ({ link: t.exposeString('link', { description: 'The Admin Portal URL for the organization’s IT admin.' }) }),
});

builder.mutationField('generateAdminPortalLink', (t) =>
  t.fieldWithInput({
    ...WRITE,
    description:
      'A link to WorkOS’ Admin Portal for the organization, for the intent (SSO, directory sync, domain verification, ' +
      'audit logs, log streams, certificate renewal). Needs its admin role, or organizations:manage (audit_logs:manage ' +
      'for the audit log intents).',
    type: AdminPortalLinkPayload,
    errors: writeErrors(),
    authScopes: (_root, { input }) => administers(String(input.organizationId), INTENT_PERMISSION[input.intent]),
    input: {
      organizationId: t.input.id({ required: true, validate: idOf('Organization'), description: 'The organization to set up.' }),
      intent: t.input.field({ type: AdminPortalIntentEnum, required: true, description: 'What the portal sets up.' }),
      returnUrl: t.input.string({ required: false, validate: webUrl.nullish(), description: 'Where the portal’s back link goes.' }),
      successUrl: t.input.string({ required: false, validate: webUrl.nullish(), description: 'Where the portal goes once set up.' }),
    },
    resolve: async (_root, { input }, ctx) => ({
      link: await ctx.admin.writes.generatePortalLink({
        organizationId: String(input.organizationId),
        intent: input.intent as GenerateLinkIntent,
        returnUrl: input.returnUrl ?? undefined,
        successUrl: input.successUrl ?? undefined,
      }),
    }),
  }),
);
