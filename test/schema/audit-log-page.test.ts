import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuditLogPageDocument, UpdateAuditLogRetentionDocument } from '@workos-graphql-gateway/client/documents';
import type { seeded} from '../kit/callers.ts';
import { codes, results, send, startAcmeAdminStack } from '../kit/callers.ts';
import type { Stack } from '../kit/stack.ts';

/** The audit log page: the actions (and their schemas) to filter by, and the organization's retention. */
let stack: Stack;
let s: ReturnType<typeof seeded>;
let alice: string;
beforeAll(async () => {
  ({ stack, s, alice } = await startAcmeAdminStack());
});
afterAll(() => stack.close());
beforeEach(() => stack.resetCalls());

describe('the audit log page', () => {
  it('actions with their latest schema and the retention, in one round trip', async () => {
    const page = await stack.clientAs(alice).request(AuditLogPageDocument, { organizationId: s.acme.id });
    expect(page.auditLogActions?.edges.map((e) => e.node.name)).toEqual(['document.updated', 'user.invited', 'user.signed_in']);
    expect(page.auditLogActions?.edges[0].node.schema).toEqual({ version: 2, targets: [{ type: 'document' }] });
    expect(page.organization?.auditLogRetention).toEqual({ retentionPeriodInDays: 365 });
    expect(stack.calls()).toEqual({
      'GET /user_management/organization_memberships': 1,
      'GET /audit_logs/actions': 1,
      'GET /organizations/:id': 1,
      'GET /organizations/:id/audit_logs_retention': 1,
    });
  });

  it('every schema version of an action, in either order, one call per action; metadata types as WorkOS declares them', async () => {
    const { body } = await send(
      stack,
      alice,
      `{ auditLogActions(organizationId: "${s.acme.id}", first: 1) { edges { cursor node { name
          asc: schemas { version metadata } desc: schemas(order: DESC) { version } } } pageInfo { hasNextPage endCursor } } }`,
    );
    expect(body.errors).toBeUndefined();
    const connection = body.data?.auditLogActions as {
      edges: { cursor: string; node: { name: string; asc: { version: number; metadata: unknown }[]; desc: { version: number }[] } }[];
      pageInfo: { hasNextPage: boolean; endCursor: string };
    };
    // By name, descending unless ordered otherwise (as the emulator lists them); cursors are action names.
    expect(connection.edges[0].node.name).toBe('user.signed_in');
    expect(connection.edges[0].cursor).toBe('user.signed_in');
    expect(connection.pageInfo.hasNextPage).toBe(true);
    const next = await send(stack, alice, `{ auditLogActions(organizationId: "${s.acme.id}", first: 5, after: "${connection.pageInfo.endCursor}") { edges { node { name schemas { version metadata } } } } }`);
    const rest = (next.body.data?.auditLogActions as { edges: { node: { name: string; schemas: { version: number; metadata: unknown }[] } }[] }).edges.map((e) => e.node);
    expect(rest.map((a) => a.name)).toEqual(['user.invited', 'document.updated']);
    expect(rest[1].schemas).toEqual([
      { version: 1, metadata: null },
      { version: 2, metadata: { reason: 'string' } },
    ]);
    expect(stack.calls()['GET /audit_logs/actions/:actionName/schemas']).toBe(4);
  });

  it('sets the retention; a period WorkOS does not offer is refused before it is asked', async () => {
    const { updateAuditLogRetention } = await stack.clientAs(alice).request(UpdateAuditLogRetentionDocument, { organizationId: s.acme.id, retentionPeriodInDays: 30 });
    expect(updateAuditLogRetention).toEqual({ __typename: 'AuditLogRetentionPayload', auditLogRetention: { retentionPeriodInDays: 30 } });
    expect(stack.emulator.store.auditLogRetention.get(s.acme.id)).toBe(30);
    stack.resetCalls();
    const { body } = await send(stack, alice, `mutation { updateAuditLogRetention(input: { organizationId: "${s.acme.id}", retentionPeriodInDays: 45 }) { __typename } }`);
    // Refused input is a typed ValidationError, like every mutation's expected failure.
    expect(codes(body)).toEqual([]);
    expect(results(body)).toEqual(['ValidationError']);
    expect(stack.totalCalls()).toBe(0);
    await stack.clientAs(alice).request(UpdateAuditLogRetentionDocument, { organizationId: s.acme.id, retentionPeriodInDays: 365 });
  });
});
