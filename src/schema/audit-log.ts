import type { AuditLogExport } from '@workos-inc/node';
import { z } from 'zod';
import { PERMISSIONS } from '../auth/permissions.ts';
import { administers, serviceOnly } from './auth-scopes.ts';
import { BY_ID, WRITE } from './cost.ts';
import { builder } from './builder.ts';
import { writeErrors } from './payloads.ts';
import { AuditLogExportRef } from './refs.ts';
import { planField, validArgs } from './plan.ts';
import { idOf } from './validators.ts';

const ExportStateEnum = builder.enumType('AuditLogExportState', {
  description: 'Progress of an audit log export.',
  values: {
    PENDING: { value: 'pending', description: 'Being prepared; poll again.' },
    READY: { value: 'ready', description: 'Ready: `url` downloads the CSV.' },
    ERROR: { value: 'error', description: 'The export failed.' },
  } as const,
});

builder.node(AuditLogExportRef, {
  description: 'An export of audit log events to a CSV file.',
  id: { resolve: (e) => e.id },
  // WorkOS' export does not name its organization: the gateway remembers it at creation.
  authScopes: async (e, ctx) => {
    const owner = await ctx.access.exportOwner(e.id);
    return owner ? administers(owner, PERMISSIONS.auditLogs) : serviceOnly;
  },
  loadWithoutCache: (id, ctx) => ctx.access.auditLogExport(id),
  fields: (t) => ({
    state: t.field({ type: ExportStateEnum, description: 'Pending, ready or error.', resolve: (e) => e.state }),
    url: t.string({
      nullable: true,
      description: 'Download URL of the CSV once ready; it expires after a few minutes, so fetch the export again for a fresh one.',
      resolve: (e) => e.url ?? null,
    }),
    createdAt: t.field({ type: 'DateTime', description: 'When it was requested.', resolve: (e) => e.createdAt }),
    updatedAt: t.field({ type: 'DateTime', description: 'When it last changed.', resolve: (e) => e.updatedAt }),
  }),
});

const exportId = idOf('AuditLogExport');

builder.queryField('auditLogExport', (t) =>
  t.field({
    ...BY_ID,
    type: AuditLogExportRef,
    nullable: true,
    description:
      'An audit log export by id; poll it until `state` is READY. Null when none has that id or it is not yours ' +
      '(exports made through this gateway, by audit log managers of their organization).',
    args: { id: t.arg.id({ required: true, validate: exportId }) },
    resolve: (_root, { id }, ctx) => ctx.access.auditLogExport(String(id)),
  }),
);

// Its owner may have to be looked up (shared state): the read itself starts, and asks for the
// viewer's memberships only when the gateway knows the owner (to check its manager).
planField('Query.auditLogExport', {
  start: (ctx, args) => validArgs(args, { id: exportId }) && ctx.access.auditLogExport(String(args.id)),
  access: () => false,
});

const metadataValue = z.union([z.string().max(500), z.number(), z.boolean()]);
const eventMetadata = z
  .record(z.string().regex(/^[a-zA-Z0-9_-]{0,40}$/, { message: 'Metadata keys are up to 40 letters, digits, _ or -.' }), metadataValue)
  .refine((m) => Object.keys(m).length <= 50, { message: 'Metadata has at most 50 keys.' });
const shortText = z.string().trim().min(1).max(255);

const AuditLogActorInput = builder.inputType('AuditLogActorInput', {
  description: 'Who did it.',
  fields: (t) => ({
    id: t.string({ required: true, validate: shortText, description: 'The actor’s id, e.g. a user id.' }),
    type: t.string({ required: true, validate: shortText, description: 'The actor’s type, e.g. user.' }),
    name: t.string({ required: false, description: 'Display name.' }),
    metadata: t.field({ type: 'JSON', required: false, validate: eventMetadata.nullish() }),
  }),
});

const AuditLogTargetInput = builder.inputType('AuditLogTargetInput', {
  description: 'What it was done to.',
  fields: (t) => ({
    id: t.string({ required: true, validate: shortText }),
    type: t.string({ required: true, validate: shortText }),
    name: t.string({ required: false }),
    metadata: t.field({ type: 'JSON', required: false, validate: eventMetadata.nullish() }),
  }),
});

const AuditLogContextInput = builder.inputType('AuditLogContextInput', {
  description: 'Where it came from.',
  fields: (t) => ({
    location: t.string({ required: true, validate: shortText, description: 'An IP address or place.' }),
    userAgent: t.string({ required: false }),
  }),
});

const CreateAuditLogEventPayload = builder.objectRef<{ organizationId: string }>('CreateAuditLogEventPayload').implement({
  description: 'The event was recorded.',
  fields: (t) => ({ organizationId: t.exposeID('organizationId', { description: 'Organization it was recorded for.' }) }),
});

const AuditLogExportPayload = builder.objectRef<{ auditLogExport: AuditLogExport }>('AuditLogExportPayload').implement({
  description: 'The export was requested; poll `auditLogExport(id)` until it is READY.',
  fields: (t) => ({ auditLogExport: t.field({ type: AuditLogExportRef, resolve: (p) => p.auditLogExport }) }),
});

type MetadataRecord = Record<string, string | number | boolean>;
const asMetadata = (value: unknown) => (value ?? undefined) as MetadataRecord | undefined;

builder.mutationFields((t) => ({
  createAuditLogEvent: t.fieldWithInput({
    ...WRITE,
    description:
      'Records an audit log event for an organization. Send the same idempotencyKey to retry safely. ' +
      'Needs its admin role or audit_logs:manage.',
    type: CreateAuditLogEventPayload,
    errors: writeErrors(),
    authScopes: (_root, { input }) => administers(String(input.organizationId), PERMISSIONS.auditLogs),
    input: {
      organizationId: t.input.id({ required: true, validate: idOf('Organization') }),
      action: t.input.string({ required: true, validate: z.string().regex(/^[a-z0-9_.-]{1,100}$/i, { message: 'Expected an action such as user.signed_in.' }) }),
      occurredAt: t.input.field({ type: 'DateTime', required: false, description: 'Defaults to now.' }),
      version: t.input.int({ required: false, validate: z.number().int().min(1).nullish() }),
      actor: t.input.field({ type: AuditLogActorInput, required: true }),
      targets: t.input.field({ type: [AuditLogTargetInput], required: true, validate: z.array(z.unknown()).min(1).max(50) }),
      context: t.input.field({ type: AuditLogContextInput, required: true }),
      metadata: t.input.field({ type: 'JSON', required: false, validate: eventMetadata.nullish() }),
      idempotencyKey: t.input.string({ required: false, validate: z.string().min(1).max(255).nullish() }),
    },
    resolve: async (_root, { input }, ctx) => {
      const organizationId = String(input.organizationId);
      await ctx.writes.createAuditLogEvent(
        organizationId,
        {
          action: input.action,
          occurredAt: input.occurredAt ?? new Date(),
          version: input.version ?? undefined,
          actor: { ...input.actor, name: input.actor.name ?? undefined, metadata: asMetadata(input.actor.metadata) },
          targets: input.targets.map((target) => ({ ...target, name: target.name ?? undefined, metadata: asMetadata(target.metadata) })),
          context: { location: input.context.location, userAgent: input.context.userAgent ?? undefined },
          metadata: asMetadata(input.metadata),
        },
        input.idempotencyKey ?? undefined,
      );
      return { organizationId };
    },
  }),
  createAuditLogExport: t.fieldWithInput({
    ...WRITE,
    description: 'Starts an export of an organization’s audit log events in a time range. Needs its admin role or audit_logs:manage.',
    type: AuditLogExportPayload,
    errors: writeErrors(),
    authScopes: (_root, { input }) => administers(String(input.organizationId), PERMISSIONS.auditLogs),
    input: {
      organizationId: t.input.id({ required: true, validate: idOf('Organization') }),
      rangeStart: t.input.field({ type: 'DateTime', required: true }),
      rangeEnd: t.input.field({ type: 'DateTime', required: true }),
      actions: t.input.stringList({ required: false }),
      actorNames: t.input.stringList({ required: false }),
      actorIds: t.input.stringList({ required: false }),
      targets: t.input.stringList({ required: false }),
    },
    // Loose objects: a strict schema here would strip the other arguments.
    validate: z
      .looseObject({ input: z.looseObject({ rangeStart: z.date(), rangeEnd: z.date() }) })
      .refine((args) => args.input.rangeStart < args.input.rangeEnd, { message: 'rangeStart must be before rangeEnd.' }),
    resolve: async (_root, { input }, ctx) => ({
      auditLogExport: await ctx.writes.createAuditLogExport({
        organizationId: String(input.organizationId),
        rangeStart: input.rangeStart,
        rangeEnd: input.rangeEnd,
        actions: input.actions ?? undefined,
        actorNames: input.actorNames ?? undefined,
        actorIds: input.actorIds ?? undefined,
        targets: input.targets ?? undefined,
      }),
    }),
  }),
}));
