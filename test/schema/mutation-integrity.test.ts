import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../kit/stack.ts';
import { seeded, send, tokenFor } from '../kit/callers.ts';

/**
 * Writes as an attacker or a broken upstream would exercise them: keys of one tenant must not
 * touch another's, and an answer lost on the way back must not turn a done write into a failure.
 */
let stack: Stack;
let s: ReturnType<typeof seeded>;
beforeAll(async () => {
  stack = await startStack();
  s = seeded(stack);
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.emulator.faults.clear();
  stack.resetCalls();
});

const AUDIT_EVENT = `mutation($input: CreateAuditLogEventInput!) {
  r: createAuditLogEvent(input: $input) { __typename ... on MutationError { message } ... on CreateAuditLogEventPayload { organizationId } }
}`;
const auditInput = (organizationId: string, action: string, idempotencyKey: string) => ({
  organizationId,
  action,
  // A retry is the same request: the time is the caller's, not the gateway's "now".
  occurredAt: '2026-11-01T10:00:00.000Z',
  actor: { id: 'user_1', type: 'user' },
  targets: [{ id: 'doc_1', type: 'document' }],
  context: { location: '203.0.113.7' },
  idempotencyKey,
});

describe('idempotency keys are per organization', () => {
  it('two tenants using the same key both record their event; a retry within one tenant still matches', async () => {
    const alice = await tokenFor(stack, s.alice.id, { organizationId: s.acme.id });
    const carol = await tokenFor(stack, s.carol.id, { organizationId: s.globex.id });
    const before = stack.emulator.store.auditLogEvents.length;

    const a = await send(stack, alice, AUDIT_EVENT, { input: auditInput(s.acme.id, 'acme.thing_done', 'shared-key-1') });
    const b = await send(stack, carol, AUDIT_EVENT, { input: auditInput(s.globex.id, 'globex.thing_done', 'shared-key-1') });
    expect(a.body.data?.r).toEqual({ __typename: 'CreateAuditLogEventPayload', organizationId: s.acme.id });
    expect(b.body.data?.r).toEqual({ __typename: 'CreateAuditLogEventPayload', organizationId: s.globex.id });

    // The same request again from Acme is answered by WorkOS' stored result: recorded once.
    const again = await send(stack, alice, AUDIT_EVENT, { input: auditInput(s.acme.id, 'acme.thing_done', 'shared-key-1') });
    expect(again.body.data?.r).toEqual({ __typename: 'CreateAuditLogEventPayload', organizationId: s.acme.id });

    const recorded = stack.emulator.store.auditLogEvents.slice(before);
    expect(recorded.map((e) => [e.organization_id, e.event.action])).toEqual([
      [s.acme.id, 'acme.thing_done'],
      [s.globex.id, 'globex.thing_done'],
    ]);
    expect(stack.calls()['POST /audit_logs/events']).toBe(3);
  });
});

describe('a delete whose answer was lost', () => {
  it('is a success when the retry finds the object gone', async () => {
    const org = [...stack.emulator.store.organizations.values()].at(-1)!;
    // WorkOS deletes it, the answer never arrives; the retry is answered 404.
    stack.emulator.faults.add({ method: 'DELETE', path: '/organizations/:id', status: 502, after: true, times: 1 });
    const { body } = await send(
      stack,
      stack.serviceToken,
      `mutation($id: ID!) { r: deleteOrganization(input: { id: $id }) { __typename ... on DeletePayload { deletedId } ... on MutationError { message } } }`,
      { id: org.id },
    );
    expect(body.data?.r).toEqual({ __typename: 'DeletePayload', deletedId: org.id });
    expect(stack.emulator.store.organizations.has(org.id)).toBe(false);
    expect(stack.emulator.requests.log().filter((r) => r.route === '/organizations/:id').map((r) => r.status)).toEqual([502, 404]);
  });

  it('an id that never existed is still not found', async () => {
    const { body } = await send(
      stack,
      stack.serviceToken,
      `mutation { r: deleteOrganization(input: { id: "org_01ZZZZZZZZZZZZZZZZZZZZZZZZ" }) { __typename } }`,
    );
    expect(body.data?.r).toEqual({ __typename: 'NotFoundError' });
  });
});
