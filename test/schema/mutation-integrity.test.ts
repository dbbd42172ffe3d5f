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

/** A mark no gateway message contains: if it shows in a result, an upstream message got through. */
const MARK = 'UPSTREAM_SECRET_org_01KSECRETSECRETSECRETSECRET';

describe('results carry the gateway’s own messages', () => {
  it('onboarding with another tenant’s domain says neither the domain nor who has it', async () => {
    const bob = await tokenFor(stack, s.bob.id);
    const taken = s.globex.domains[0].domain;
    const { body } = await send(
      stack,
      bob,
      `mutation($input: OnboardOrganizationInput!) { r: onboardOrganization(input: $input) { __typename ... on OnboardingFailedError { message reason failedStep } } }`,
      { input: { name: 'Squatter Ltd', adminUserId: s.bob.id, domains: [{ domain: taken }] } },
    );
    const r = body.data?.r as { __typename: string; reason: string; failedStep: string };
    expect(r).toMatchObject({ __typename: 'OnboardingFailedError', failedStep: 'create organization' });
    const text = JSON.stringify(body);
    expect(text).not.toContain(taken);
    expect(text).not.toContain(s.globex.id);
    expect(text).not.toMatch(/An Organization/);
    expect(stack.calls()['POST /organizations']).toBe(1);
  });

  it.each<[string, { method: string; path: string; status: number; body: unknown }, string, Record<string, unknown>, string]>([
    [
      'a 409',
      { method: 'POST', path: '/organizations', status: 409, body: { message: `Domain owned by ${MARK}.` } },
      'createOrganization',
      { name: 'Conflicted' },
      'ConflictError',
    ],
    [
      'a 400 with a code',
      { method: 'PUT', path: '/organizations/:id', status: 400, body: { code: 'external_id_already_used', message: `Used by ${MARK}.` } },
      'updateOrganization',
      { id: 'ORG', externalId: 'ext-1' },
      'ValidationError',
    ],
    [
      'a 400 with errors',
      { method: 'POST', path: '/user_management/users', status: 400, body: { code: 'user_creation_error', message: `No: ${MARK}`, errors: [{ code: 'email_not_available', message: `Taken by ${MARK}` }] } },
      'createUser',
      { email: 'someone@acme.test' },
      'ValidationError',
    ],
    [
      'a 422',
      { method: 'POST', path: '/user_management/users', status: 422, body: { code: 'invalid_request_parameters', message: `Bad ${MARK}`, errors: [{ field: 'first_name', code: 'too_long' }] } },
      'createUser',
      { email: 'someone@acme.test' },
      'ValidationError',
    ],
    [
      'an OAuth-shaped 400',
      { method: 'POST', path: '/audit_logs/exports', status: 400, body: { error: 'invalid_request', error_description: `Range of ${MARK}` } },
      'createAuditLogExport',
      { organizationId: 'ORG', rangeStart: '2026-10-01T00:00:00.000Z', rangeEnd: '2026-11-01T00:00:00.000Z' },
      'ValidationError',
    ],
  ])('%s from WorkOS: the typed result says it in the gateway’s words', async (_what, fault, field, input, typename) => {
    stack.emulator.faults.add({ ...fault, times: 1 });
    const resolved = JSON.parse(JSON.stringify(input).replaceAll('"ORG"', JSON.stringify(s.acme.id))) as Record<string, unknown>;
    const { body } = await send(
      stack,
      stack.serviceToken,
      `mutation($input: ${field.charAt(0).toUpperCase()}${field.slice(1)}Input!) { r: ${field}(input: $input) { __typename ... on MutationError { message } ... on ValidationError { fields { field message } } } }`,
      { input: resolved },
    );
    expect(body.errors).toBeUndefined();
    expect((body.data?.r as { __typename: string }).__typename).toBe(typename);
    expect(JSON.stringify(body)).not.toContain(MARK);
    expect(JSON.stringify(body)).not.toContain('SECRET');
  });
});

describe('expected failures come back in one typed shape', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['createOrganization', { name: '   ' }, 'name'],
    ['createOrganization', { name: 'X', domains: [{ domain: 'not a domain' }] }, 'domains.0.domain'],
    ['createUser', { email: 'not-an-email' }, 'email'],
    ['updateOrganization', { id: 'user_01ZZZZZZZZZZZZZZZZZZZZZZZZ', name: 'X' }, 'id'],
    ['createOrganizationMembership', { organizationId: 'org_1', userId: 'user_1' }, 'organizationId'],
    ['deleteSsoConnection', { id: "conn_'; DROP TABLE" }, 'id'],
    ['signInWithPassword', { email: 'not-an-email', password: 'x' }, 'email'],
    ['createAuditLogExport', { organizationId: 'ORG', rangeStart: '2026-12-01T00:00:00Z', rangeEnd: '2026-10-01T00:00:00Z' }, ''],
  ])('%s(%j): a ValidationError naming the field, before any upstream call', async (field, input, name) => {
    const resolved = JSON.parse(JSON.stringify(input).replaceAll('"ORG"', JSON.stringify(s.acme.id))) as Record<string, unknown>;
    const { body } = await send(
      stack,
      stack.serviceToken,
      `mutation($input: ${field.charAt(0).toUpperCase()}${field.slice(1)}Input!) { r: ${field}(input: $input) { __typename ... on ValidationError { message fields { field message } } } }`,
      { input: resolved },
    );
    expect(body.errors).toBeUndefined();
    const r = body.data?.r as { __typename: string; message: string; fields: { field: string; message: string }[] };
    expect(r.__typename).toBe('ValidationError');
    expect(r.message).toBeTruthy();
    expect(r.fields.map((f) => f.field)).toContain(name);
    expect(stack.totalCalls()).toBe(0);
  });

  it('a WorkOS 422 keeps its field details', async () => {
    stack.emulator.faults.add({
      method: 'POST',
      path: '/user_management/users',
      status: 422,
      body: { code: 'invalid_request_parameters', message: 'Validation failed', errors: [{ field: 'email', code: 'invalid_email' }, { field: 'first_name', code: 'too_long' }] },
      times: 1,
    });
    const { body } = await send(
      stack,
      stack.serviceToken,
      `mutation { r: createUser(input: { email: "odd@acme.test" }) { __typename ... on ValidationError { fields { field message } } } }`,
    );
    expect(body.data?.r).toEqual({
      __typename: 'ValidationError',
      fields: [
        { field: 'email', message: 'invalid_email' },
        { field: 'firstName', message: 'too_long' },
      ],
    });
  });
});
