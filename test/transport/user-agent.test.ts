import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import gateway from '../../package.json' with { type: 'json' };
import sdk from '@workos-inc/node/package.json' with { type: 'json' };
import { ConfigError, loadConfig } from '../../src/config/index.ts';
import { seeded, send, tokenFor } from '../kit/callers.ts';
import { startStack, type Stack } from '../kit/stack.ts';

/** Every WorkOS call names the gateway, its version, the SDK and the application's suffix. */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { GATEWAY_USER_AGENT_SUFFIX: 'acme-admin/2.3 (+https://acme.test)' } });
});
afterAll(() => stack.close());

const expected = `workos-graphql-gateway/${gateway.version} workos-node/${sdk.version} acme-admin/2.3 (+https://acme.test)`;

describe('User-Agent', () => {
  it('SDK calls, raw reads, writes and the key set download all carry it, as the emulator logs them', async () => {
    const s = seeded(stack);
    // A user token: the gateway downloads the JWKS first (through jose, not the SDK).
    const alice = await tokenFor(stack, s.alice.id, { organizationId: s.acme.id });
    await send(stack, alice, `{ organization(id: "${s.acme.id}") { name memberships(first: 2) { edges { node { role { name } } } } invitations(first: 2) { edges { node { id } } } } }`);
    await send(stack, alice, `mutation { generateAdminPortalLink(input: { organizationId: "${s.acme.id}", intent: SSO }) { __typename } }`);
    const log = stack.emulator.requests.log();
    const routes = new Set(log.map((e) => `${e.method} ${e.route}`));
    for (const route of ['GET /sso/jwks/:clientId', 'GET /organizations/:id', 'GET /user_management/organization_memberships', 'GET /authorization/organizations/:organizationId/roles', 'POST /portal/generate_link']) {
      expect(routes, route).toContain(route);
    }
    expect(new Set(log.map((e) => e.userAgent))).toEqual(new Set([expected]));
  });

  it('an unprintable or oversized suffix is refused at start, naming the variable', () => {
    for (const bad of ['bad\u0007agent', 'x'.repeat(201), 'two  spaces']) {
      expect(() => loadConfig({ GATEWAY_USER_AGENT_SUFFIX: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ GATEWAY_USER_AGENT_SUFFIX: bad })).toThrow(/GATEWAY_USER_AGENT_SUFFIX/);
    }
    expect(loadConfig({}).workos.userAgentSuffix).toBeUndefined();
  });
});
