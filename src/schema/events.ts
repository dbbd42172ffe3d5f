import { filter, pipe, Repeater } from 'graphql-yoga';
import type { AuditLogExport } from '@workos-inc/node';
import { readsOrganization } from './auth-scopes.ts';
import { fieldOf } from '../cache/invalidation.ts';
import type { GatewayContext } from '../context/context.ts';
import type { GatewayEvent } from '../events/hub.ts';
import { BY_ID, IN_HAND } from './cost.ts';
import { builder } from './builder.ts';
import { AuditLogExportRef } from './refs.ts';
import { idOf } from './validators.ts';

const WorkosEventRef = builder.objectRef<GatewayEvent>('WorkosEvent').implement({
  description: 'A WorkOS event (webhook or Events API), as the gateway received it.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The event id (event_...); each event is delivered once.' }),
    type: t.exposeString('type', { description: 'The WorkOS event name, e.g. organization.updated.' }),
    organizationId: t.exposeID('organizationId', { nullable: true, description: 'The organization it concerns, when it names one.' }),
    createdAt: t.field({ type: 'DateTime', description: 'When WorkOS recorded it.', resolve: (e) => e.createdAt }),
    data: t.field({ type: 'JSON', description: 'The event payload, as the WorkOS SDK reads it (camelCase).', resolve: (e) => e.data }),
  }),
});

/**
 * Whether this subscriber may receive the event: a service caller receives all; a user those of
 * organizations they may read, and user events of users they may see; nobody else anything.
 */
async function mayReceive(ctx: GatewayContext, event: GatewayEvent): Promise<boolean> {
  if (ctx.access.isService) return true;
  if (ctx.caller.kind !== 'user') return false;
  // A subscription outlives requests: once the token has expired it receives nothing more.
  if (ctx.caller.expiresAt.getTime() <= Date.now()) return false;
  if (event.organizationId) return ctx.access.canRead(event.organizationId);
  const userId = event.type.startsWith('user.') ? fieldOf(event.data, 'id', 'id') : undefined;
  return userId !== undefined && ctx.access.canSeeUser(userId);
}

builder.subscriptionField('workosEvents', (t) =>
  t.field({
    ...IN_HAND,
    type: WorkosEventRef,
    description:
      'WorkOS events as they arrive, of the organizations you may read (all of them for a service token). ' +
      'Filter by event names and by one organization (refused when you may not read it).',
    args: {
      types: t.arg.stringList({ required: false, description: 'Only these event names, e.g. ["organization.updated"].' }),
      organizationId: t.arg.id({ required: false, validate: idOf('Organization'), description: 'Only events of this organization.' }),
    },
    authScopes: (_root, args) => (args.organizationId ? readsOrganization(String(args.organizationId)) : { signedIn: true }),
    subscribe: (_root, args, ctx) => {
      const types = args.types ?? undefined;
      const organizationId = args.organizationId ? String(args.organizationId) : undefined;
      return pipe(
        ctx.events.subscribe(),
        // Each event is decided in a scope of its own: the subscriber's tenant, its connection's
        // signal and a fresh budget, however long the stream has been open.
        filter((event: GatewayEvent) =>
          ctx.upstream.run(async () => {
            // Any membership change may change what this subscriber may read, whatever it filters
            // on: forget the memberships before deciding, so a removed member stops receiving.
            if (event.type.startsWith('organization_membership.') && typeof event.data.id === 'string') {
              ctx.loaders.forget('membership', event.data.id);
            }
            return (
              (!types || types.includes(event.type)) &&
              (!organizationId || event.organizationId === organizationId) &&
              (await mayReceive(ctx, event))
            );
          }),
        ),
      );
    },
    resolve: (event) => event,
  }),
);

/** Bounds of auditLogExportStatus: one upstream read per second, for at most five minutes. */
const EXPORT_POLL_MS = 1_000;
const EXPORT_MAX_POLLS = 300;

builder.subscriptionField('auditLogExportStatus', (t) =>
  t.field({
    ...BY_ID,
    type: AuditLogExportRef,
    description: 'An audit log export as its state changes, ending once it is READY or ERROR (polled once a second, five minutes at most).',
    args: { id: t.arg.id({ required: true, validate: idOf('AuditLogExport') }) },
    authScopes: async (_root, { id }, ctx) => ctx.access.canReadExport(String(id)),
    subscribe: (_root, { id }, ctx) =>
      new Repeater<AuditLogExport>(async (push, stop) => {
        const exportId = String(id);
        let stopped = false;
        void stop.then(() => (stopped = true));
        let last: string | undefined;
        for (let poll = 0; poll < EXPORT_MAX_POLLS; poll++) {
          ctx.loaders.auditLogExport.clear(exportId);
          // Each poll in a scope of its own (the stream outlives any one budget).
          const exp = await ctx.upstream.run(() => ctx.access.auditLogExport(exportId));
          if (!exp) break;
          if (exp.state !== last) await push(exp);
          last = exp.state;
          if (exp.state !== 'pending') break;
          // Wakes early when the client goes away.
          await Promise.race([new Promise((resolve) => setTimeout(resolve, EXPORT_POLL_MS).unref()), stop]);
          if (stopped) return;
        }
        stop();
      }),
    resolve: (exp) => exp,
  }),
);
