import type { AuditLogSchema, AuditLogsRetention, UpdateAuditLogsRetentionRetentionPeriod } from '@workos-inc/node';
import { z } from 'zod';
import { PERMISSIONS } from '../auth/permissions.ts';
import { retentionPeriodOf } from '../data/admin-writes.ts';
import { AuditLogActionConnection, AuditLogActionRef } from './admin-refs.ts';
import { administers, serviceOnly } from './auth-scopes.ts';
import { BY_ID, IN_HAND, PAGED, WRITE, cost } from './cost.ts';
import { builder } from './builder.ts';
import { resolveConnection } from './connection.ts';
import { ListOrderEnum, orderArgs } from './list-order.ts';
import { writeErrors } from './payloads.ts';
import { OrganizationRef } from './refs.ts';
import { idOf } from './validators.ts';

const AuditLogTargetSchemaRef = builder.objectRef<AuditLogSchema['targets'][number]>('AuditLogTargetSchema').implement({
  description: 'A kind of target an action’s events name.',
  fields: (t) => ({
    type: t.exposeString('type', { description: 'The target type, e.g. user or document.' }),
    metadata: t.field({ type: 'JSON', nullable: true, description: 'Its metadata keys and their types.', resolve: (s) => s.metadata ?? null }),
  }),
});

const AuditLogSchemaRef = builder.objectRef<AuditLogSchema>('AuditLogSchema').implement({
  description: 'A version of what an audit log action’s events carry.',
  fields: (t) => ({
    version: t.exposeInt('version', { description: 'Its version, from 1.' }),
    targets: t.field({ ...IN_HAND, type: [AuditLogTargetSchemaRef], description: 'The target types.', resolve: (s) => s.targets }),
    actorMetadata: t.field({ type: 'JSON', nullable: true, description: 'The actor’s metadata keys and their types.', resolve: (s) => s.actor?.metadata ?? null }),
    metadata: t.field({ type: 'JSON', nullable: true, description: 'The event’s metadata keys and their types.', resolve: (s) => s.metadata ?? null }),
    createdAt: t.field({ type: 'DateTime', description: 'When this version was made.', resolve: (s) => s.createdAt }),
  }),
});

AuditLogActionRef.implement({
  description: 'An audit log action (e.g. user.signed_in) with its schema: what an audit log page filters by.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The action, as events name it.' }),
    schema: t.field({ ...IN_HAND, type: AuditLogSchemaRef, description: 'Its latest schema (comes with the action).', resolve: (a) => a.schema }),
    schemas: t.field({
      ...cost({ calls: 1, items: 10 }),
      type: [AuditLogSchemaRef],
      nullable: true,
      description: 'Every version of its schema (up to 100), oldest first unless ordered otherwise.',
      args: { order: t.arg({ type: ListOrderEnum, required: false, description: 'ASC (default here): oldest first; DESC: newest first.' }) },
      resolve: (a, args, ctx) => ctx.admin.loaders.auditLogSchemas.load({ action: a.name, order: args.order ?? 'asc' }),
    }),
    createdAt: t.field({ type: 'DateTime', description: 'When it was first defined.', resolve: (a) => a.createdAt }),
    updatedAt: t.field({ type: 'DateTime', description: 'When its schema last changed.', resolve: (a) => a.updatedAt }),
  }),
});

builder.queryField('auditLogActions', (t) =>
  t.field({
    ...PAGED,
    type: AuditLogActionConnection,
    nullable: true,
    description:
      'The environment’s audit log actions with their schemas, by name, for an audit log page’s filter. Actions are the ' +
      'environment’s, not an organization’s: a signed-in user names an organization they manage the audit log of ' +
      '(admin role or audit_logs:manage); without one, service callers only.',
    args: {
      ...t.arg.connectionArgs(),
      ...orderArgs,
      organizationId: t.arg.id({ required: false, validate: idOf('Organization').nullish(), description: 'The organization whose audit log page asks.' }),
    },
    authScopes: (_root, args) => (args.organizationId ? administers(String(args.organizationId), PERMISSIONS.auditLogs) : serviceOnly),
    resolve: (_root, args, ctx) => resolveConnection(args, ctx, (p) => ctx.admin.loaders.listAuditLogActions(p)),
  }),
);

const AuditLogRetentionRef = builder.objectRef<AuditLogsRetention & { organizationId: string }>('AuditLogRetention').implement({
  description: 'How long an organization’s audit log events are kept.',
  fields: (t) => ({
    organizationId: t.exposeID('organizationId', { description: 'The organization.' }),
    retentionPeriodInDays: t.exposeInt('retentionPeriodInDays', { nullable: true, description: 'Days events are kept (null: the environment’s default).' }),
  }),
});

builder.objectFields(OrganizationRef, (t) => ({
  auditLogRetention: t.field({
    ...BY_ID,
    type: AuditLogRetentionRef,
    nullable: true,
    description: 'How long its audit log events are kept. Needs its admin role or audit_logs:manage.',
    authScopes: (o) => administers(o.id, PERMISSIONS.auditLogs),
    resolve: async (o, _args, ctx) => {
      const retention = await ctx.admin.loaders.auditLogRetention.load(o.id);
      return retention ? { ...retention, organizationId: o.id } : null;
    },
  }),
}));

const AuditLogRetentionPayload = builder.objectRef<{ auditLogRetention: AuditLogsRetention & { organizationId: string } }>('AuditLogRetentionPayload').implement({
  description: 'The retention as it is after the change.',
  fields: (t) => ({ auditLogRetention: t.field({ type: AuditLogRetentionRef, description: 'The retention.', resolve: (p) => p.auditLogRetention }) }),
});

const retentionDays = z
  .number()
  .int()
  .refine((days) => retentionPeriodOf(days) !== undefined, { message: 'Expected 30 to 330 days in steps of 30, or 365 to 3650 in steps of 365.' });

builder.mutationField('updateAuditLogRetention', (t) =>
  t.fieldWithInput({
    ...WRITE,
    description: 'Sets how long an organization’s audit log events are kept. Needs its admin role or audit_logs:manage.',
    type: AuditLogRetentionPayload,
    errors: writeErrors(),
    authScopes: (_root, { input }) => administers(String(input.organizationId), PERMISSIONS.auditLogs),
    input: {
      organizationId: t.input.id({ required: true, validate: idOf('Organization'), description: 'The organization.' }),
      retentionPeriodInDays: t.input.int({ required: true, validate: retentionDays, description: '30 to 330 in steps of 30, or 365 to 3650 in steps of 365.' }),
    },
    resolve: async (_root, { input }, ctx) => {
      const organizationId = String(input.organizationId);
      const period = retentionPeriodOf(input.retentionPeriodInDays) as UpdateAuditLogsRetentionRetentionPeriod;
      const retention = await ctx.admin.writes.updateAuditLogRetention(organizationId, period);
      return { auditLogRetention: { ...retention, organizationId } };
    },
  }),
);
