import { createServer, type Server } from 'node:http';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as publicApi from '../src/index.ts';
import { startEmulator, type EmulatorHandle } from '../src/index.ts';

/** The package's public API: what it exports, and the handle methods that replace reaching into internals. */
describe('public API', () => {
  let em: EmulatorHandle;
  beforeAll(async () => {
    em = await startEmulator({ rateLimits: false, seed: { organizations: 3, users: 10 }, accessTokenTtlSeconds: 42 });
  });
  afterAll(async () => {
    await em?.close();
  });

  it('exports only the documented values', () => {
    expect(Object.keys(publicApi).sort()).toEqual(['DEFAULT_API_KEY', 'DEFAULT_CLIENT_ID', 'DEMO_USERS', 'signWebhook', 'startEmulator']);
  });

  it('signs access tokens that verify against its JWKS, with its issuer and the configured lifetime', async () => {
    const alice = [...em.store.users.values()].find((u) => u.email === 'alice@acme.test')!;
    const token = await em.issueAccessToken({ userId: alice.id });
    const jwks = createRemoteJWKSet(new URL(`${em.url}/sso/jwks/${em.clientId}`));
    const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer: em.accessTokenIssuer() });
    expect(em.accessTokenIssuer()).toBe(`${em.url}/user_management/${em.clientId}`);
    expect(protectedHeader.kid).toBe(em.jwks().keys[0].kid);
    expect(payload.sub).toBe(alice.id);
    expect(payload.exp! - payload.iat!).toBe(42);

    const demo = await em.issueDemoAccessTokens(60);
    expect(demo.map((t) => t.email)).toContain('alice@acme.test');
    const claims = (await jwtVerify(demo[0].accessToken, jwks)).payload;
    expect(claims.exp! - claims.iat!).toBe(60);
  });

  it('spells id prefixes its own way when asked, in the seed and in what it creates', async () => {
    const other = await startEmulator({ rateLimits: false, exportDelayMs: 10, idPrefixes: { directoryGroup: 'directory_grp_', auditLogExport: 'audit_export_' } });
    try {
      expect([...other.store.directoryGroups.keys()].every((id) => id.startsWith('directory_grp_'))).toBe(true);
      expect([...other.store.organizations.keys()].every((id) => id.startsWith('org_'))).toBe(true);
      const org = [...other.store.organizations.keys()][0];
      const res = await fetch(`${other.url}/audit_logs/exports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${other.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ organization_id: org, range_start: '2026-01-01T00:00:00.000Z', range_end: '2026-02-01T00:00:00.000Z' }),
      });
      expect(((await res.json()) as { id: string }).id).toMatch(/^audit_export_[0-9A-Z]{26}$/);
    } finally {
      await other.close();
    }
  });

  it('adds and removes webhook endpoints', async () => {
    const received: string[] = [];
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push((JSON.parse(body) as { event: string }).event);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const remove = em.addWebhookEndpoint({ url: `http://127.0.0.1:${port}/hooks`, secret: 'whsec_test' });
      em.emit('widget.created', { object: 'widget', id: 'widget_1' });
      await expect.poll(() => received).toEqual(['widget.created']);
      remove();
      em.emit('widget.deleted', { object: 'widget', id: 'widget_1' });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(received).toEqual(['widget.created']);
    } finally {
      em.clearWebhookEndpoints();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
