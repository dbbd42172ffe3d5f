import { expect } from 'vitest';
import type { AccessTokenOptions } from '@workos-graphql-gateway/emulator';
import { startStack, type Stack } from './stack.ts';
import { bearer, post, type GraphQLBody } from './http.ts';

export type Body = GraphQLBody;

/**
 * Sends one operation as `token` (null: none) and checks what every response must satisfy:
 * the gateway's WorkOS key is never in it.
 */
export async function send(
  stack: Stack,
  token: string | null,
  query: string,
  variables?: Record<string, unknown>,
): Promise<{ status: number; body: Body }> {
  const result = await post(stack.url, query, variables, bearer(token));
  expect(JSON.stringify(result.body)).not.toContain(stack.emulator.apiKey);
  return result;
}

export const codes = (body: Body) => (body.errors ?? []).map((e) => e.extensions?.code);

/** The typenames of a mutation's results: refused input answers `ValidationError`, no top-level error. */
export const results = (body: Body) => Object.values(body.data ?? {}).map((value) => (value as { __typename?: string } | null)?.__typename);

export function seeded(stack: Stack) {
  const s = stack.emulator.store;
  const org = (name: string) => [...s.organizations.values()].find((o) => o.name === name)!;
  const user = (email: string) => [...s.users.values()].find((u) => u.email === email)!;
  return {
    acme: org('Acme Corp'),
    globex: org('Globex Corporation'),
    alice: user('alice@acme.test'),
    bob: user('bob@acme.test'),
    carol: user('carol@globex.test'),
    dave: user('dave@acme.test'),
    erin: user('erin@acme.test'),
    /** A member of Globex and of no organization Acme's members are in. */
    globexOnly: () => {
      const acmeMembers = new Set([...s.memberships.values()].filter((m) => m.organization_id === org('Acme Corp').id).map((m) => m.user_id));
      const m = [...s.memberships.values()].find((x) => x.organization_id === org('Globex Corporation').id && !acmeMembers.has(x.user_id));
      return s.users.get(m!.user_id)!;
    },
    directoryOf: (orgId: string) => [...s.directories.values()].find((d) => d.organization_id === orgId)!,
    directoryUserOf: (orgId: string) => [...s.directoryUsers.values()].find((d) => d.organization_id === orgId)!,
    directoryGroupOf: (orgId: string) => [...s.directoryGroups.values()].find((d) => d.organization_id === orgId)!,
    connectionOf: (orgId: string) => [...s.connections.values()].find((c) => c.organization_id === orgId)!,
    membershipOf: (userId: string, orgId: string) =>
      [...s.memberships.values()].find((m) => m.user_id === userId && m.organization_id === orgId)!,
  };
}

/** An access token as WorkOS would sign it for this user (in their first organization unless told). */
export async function tokenFor(stack: Stack, userId: string, options: Partial<AccessTokenOptions> = {}): Promise<string> {
  const first = [...stack.emulator.store.memberships.values()]
    .filter((m) => m.user_id === userId && m.status === 'active')
    .sort((a, b) => (a.id < b.id ? -1 : 1))[0];
  return stack.emulator.issueAccessToken({ userId, organizationId: first?.organization_id ?? null, ...options });
}

/** A stack whose JWKS is already cached, so counted calls are the ones a test causes. */
export async function startWarmStack(options: Parameters<typeof startStack>[0] = {}): Promise<Stack> {
  const stack = await startStack(options);
  const s = seeded(stack);
  await send(stack, await tokenFor(stack, s.alice.id), '{ __typename }');
  return stack;
}

/** A warm stack with its seeded fixtures and an access token of Acme's admin (Alice, in Acme): the admin screens' usual start. */
export async function startAcmeAdminStack(options: Parameters<typeof startStack>[0] = {}): Promise<{ stack: Stack; s: ReturnType<typeof seeded>; alice: string }> {
  const stack = await startWarmStack(options);
  const s = seeded(stack);
  return { stack, s, alice: await tokenFor(stack, s.alice.id, { organizationId: s.acme.id }) };
}
