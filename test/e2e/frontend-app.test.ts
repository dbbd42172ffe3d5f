import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seeded } from '../kit/callers.ts';
import { COOKIE_ENV, postAsBrowser, unsealSession } from '../kit/cookies.ts';
import { registerWebhook, SECRET } from '../kit/events.ts';
import { installApp, machineNode, packClient, ROOT, run, viteTemplate, writeFiles } from '../kit/frontend-app.ts';
import { startStack, type Stack } from '../kit/stack.ts';
import { serveStaticSite, type StaticSite } from '../kit/static-site.ts';
import { launchLoopbackBrowser } from './chromium.ts';

/**
 * The client package as a frontend team adopts it. A fresh app outside this repository, made
 * of the official Vite React TypeScript template (create-vite's react-ts files and settings,
 * unchanged), installs the client from `npm pack` plus its peers and Vite from the npm
 * registry, generates hooks for an operation of its own with the package's codegen plugin,
 * type-checks (`tsc -b`) and builds (`vite build`) on the machine's Node, and is driven in
 * headless Chromium against the gateway in cookie mode, served from the app's origin.
 *
 * Needs a Chromium (./chromium.ts: Debian's, else the npm-shipped one) and the npm registry (its
 * downloads and the installed app are kept in node_modules/.cache/frontend-e2e between runs).
 */
/** create-vite's version whose react-ts template the app is made of. */
const CREATE_VITE = '9.3.0';
/** Short-lived access tokens, so the test sees one expire and the gateway refresh it. */
const TOKEN_TTL_SECONDS = 4;
const APP_SOURCES = join(ROOT, 'test/e2e/frontend-app');
const UI = { timeout: 15_000 };

let work: string;
let tarball: string;
let app: string;
let stack: Stack;
let site: StaticSite;
let context: BrowserContext;
let page: Page;
const timings: Record<string, number> = {};
const offLoopback: string[] = [];
/** Every /graphql response body the page received. */
const bodies: string[] = [];

async function timed<T>(step: string, work: () => Promise<T>): Promise<T> {
  const start = Date.now();
  try {
    return await work();
  } finally {
    timings[step] = Date.now() - start;
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'frontend-e2e-'));
  tarball = await timed('npm pack', () => packClient(work));
  stack = await startStack({ emulator: { accessTokenTtlSeconds: TOKEN_TTL_SECONDS }, env: { ...COOKIE_ENV, WORKOS_WEBHOOK_SECRET: SECRET } });
  registerWebhook(stack);
}, 120_000);

afterAll(async () => {
  await context?.close();
  await site?.close();
  await stack?.close();
  if (work) rmSync(work, { recursive: true, force: true });
  console.log(`frontend e2e timings (ms): ${JSON.stringify(timings)}`);
});

describe('the packed client package', () => {
  it('holds the build, the SDL and the manifest, with use client where React is used', async () => {
    const listing = await run('tar', ['tzf', tarball], work);
    const files = listing.split('\n').filter(Boolean).sort();
    expect(files).toContain('package/dist/index.js');
    expect(files).toContain('package/dist/index.d.ts');
    expect(files).toContain('package/dist/codegen/index.js');
    expect(files).toContain('package/schema.graphql');
    expect(files).toContain('package/src/generated/persisted-documents.json');
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.every((f) => /^package\/(dist\/|schema\.graphql$|src\/generated\/persisted-documents\.json$|README\.md$|package\.json$)/.test(f))).toBe(true);
  });

  it('installs into an empty app with only its peers, and loads on the machine’s Node', async () => {
    const empty = join(work, 'empty-app');
    writeFiles(empty, { 'package.json': JSON.stringify({ name: 'empty-app', private: true, type: 'module' }) });
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--cache', join(ROOT, 'node_modules/.cache/frontend-e2e/npm'), tarball, 'react', '@tanstack/react-query', 'graphql'], empty, 180_000);
    // What npm put into node_modules (its hidden lockfile lists every installed package).
    const installed = JSON.parse(readFileSync(join(empty, 'node_modules/.package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
    const names = new Set(Object.keys(installed.packages).map((path) => path.replace(/^.*node_modules\//, '')));
    // Nothing of the server: no WorkOS SDK, no yoga, no Pothos.
    expect([...names].sort()).toEqual(['@graphql-typed-document-node/core', '@tanstack/query-core', '@tanstack/react-query', '@workos-graphql-gateway/client', 'eventsource-parser', 'graphql', 'react']);

    const { bin, version } = machineNode();
    const probe = [
      "const documents = await import('@workos-graphql-gateway/client/documents');",
      "const hooks = await import('@workos-graphql-gateway/client');",
      "const codegen = await import('@workos-graphql-gateway/client/codegen');",
      "const fs = await import('node:fs');",
      "const first = (p) => fs.readFileSync(new URL(import.meta.resolve(p)), 'utf8').split('\\n')[0];",
      'console.log(JSON.stringify({',
      '  documents: typeof documents.createGatewayClient, viewer: documents.ViewerDocument.kind,',
      '  hooks: typeof hooks.useMyOrganizationsInfiniteQuery, codegen: typeof codegen.plugin,',
      "  index: first('@workos-graphql-gateway/client'), documentsHead: first('@workos-graphql-gateway/client/documents'),",
      "  schema: fs.existsSync(new URL(import.meta.resolve('@workos-graphql-gateway/client/schema.graphql'))),",
      '}));',
    ].join('\n');
    const output = await run(bin, ['--input-type=module', '-e', probe], empty);
    expect(version).toMatch(/^v\d+\./);
    expect(JSON.parse(output.trim().split('\n').at(-1)!)).toEqual({
      documents: 'function',
      viewer: 'Document',
      hooks: 'function',
      codegen: 'function',
      index: "'use client';",
      documentsHead: '/**',
      schema: true,
    });
  }, 240_000);

  it('without React, its documents entry still loads (server code, other GraphQL clients)', async () => {
    const bare = join(work, 'no-react-app');
    writeFiles(bare, { 'package.json': JSON.stringify({ name: 'no-react-app', private: true, type: 'module' }) });
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--cache', join(ROOT, 'node_modules/.cache/frontend-e2e/npm'), tarball, 'graphql'], bare, 180_000);
    expect(existsSync(join(bare, 'node_modules/react'))).toBe(false);
    const probe = "const d = await import('@workos-graphql-gateway/client/documents'); console.log(typeof d.createGatewayClient, typeof d.gatewayRetry, d.MyOrganizationsDocument.kind);";
    const output = await run(machineNode().bin, ['--input-type=module', '-e', probe], bare);
    expect(output.trim().split('\n').at(-1)).toBe('function function Document');
  }, 240_000);
});

describe('a Vite React TypeScript app', () => {
  beforeAll(async () => {
    const template = await timed('create-vite template', () => viteTemplate(CREATE_VITE));
    app = join(work, 'app');
    const templatePackage = JSON.parse(readFileSync(join(template, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    // The template's package.json with the client, its peers and codegen added (its linter left out).
    const { oxlint: _lint, ...devDependencies } = templatePackage.devDependencies;
    const manifest = {
      ...templatePackage,
      name: 'gateway-frontend',
      scripts: { ...templatePackage.scripts, codegen: 'graphql-codegen --config codegen.ts' },
      dependencies: { ...templatePackage.dependencies, '@workos-graphql-gateway/client': `file:${tarball}`, '@tanstack/react-query': '^5.90.0', graphql: '^16.11.0' },
      devDependencies: { ...devDependencies, '@graphql-codegen/cli': '^7.4.3', '@graphql-codegen/client-preset': '^6.2.0' },
    };
    const fromTemplate = ['tsconfig.json', 'tsconfig.app.json', 'tsconfig.node.json', 'vite.config.ts', 'index.html', 'src/main.tsx', 'src/index.css', 'public/favicon.svg'];
    writeFiles(app, {
      ...Object.fromEntries(fromTemplate.map((file) => [file, readFileSync(join(template, file), 'utf8')])),
      'package.json': `${JSON.stringify(manifest, null, 2)}\n`,
      'codegen.ts': readFileSync(join(APP_SOURCES, 'codegen.ts'), 'utf8'),
      'src/App.tsx': readFileSync(join(APP_SOURCES, 'src/App.tsx'), 'utf8'),
      'src/operations.graphql': readFileSync(join(APP_SOURCES, 'src/operations.graphql'), 'utf8'),
    });
    const { cached } = await timed('npm install', () => installApp(app, tarball));
    timings['npm install cached'] = cached ? 1 : 0;
  }, 360_000);

  it('generates hooks for its own operations with the exported plugin on the machine’s Node', async () => {
    await timed('codegen', () => run('npm', ['run', 'codegen'], app));
    const hooks = readFileSync(join(app, 'src/gql/hooks.ts'), 'utf8');
    expect(hooks.split('\n').slice(0, 2)).toEqual([
      "'use client';",
      '/* Generated by @workos-graphql-gateway/client/codegen from src/operations.graphql: do not edit, run `graphql-codegen`. */',
    ]);
    expect(hooks).toContain('export function useAppViewerQuery(');
    expect(hooks).toContain('export function useAppOrganizationEventsSubscription(');
  }, 120_000);

  it('type-checks with the template’s tsconfig unchanged (tsc -b) and builds (vite build)', async () => {
    const output = await timed('tsc -b && vite build', () => run('npm', ['run', 'build'], app));
    expect(output).toContain('built in');
    expect(existsSync(join(app, 'dist/index.html'))).toBe(true);
    for (const file of ['tsconfig.json', 'tsconfig.app.json', 'tsconfig.node.json', 'vite.config.ts']) {
      expect(readFileSync(join(app, file), 'utf8'), file).toBe(readFileSync(join(await viteTemplate(CREATE_VITE), file), 'utf8'));
    }
  }, 120_000);

  describe('in Chromium, against the gateway in cookie mode', () => {
    let s: ReturnType<typeof seeded>;
    beforeAll(async () => {
      s = seeded(stack);
      site = await serveStaticSite(join(app, 'dist'), stack.url);
      ({ context, page } = await launchLoopbackBrowser('frontend test', mkdtempSync(join(work, 'chromium-')), offLoopback));
      page.on('response', (response) => {
        if (new URL(response.url()).pathname === '/graphql' && !(response.headers()['content-type'] ?? '').includes('event-stream')) {
          void response.text().then((text) => bodies.push(text), () => undefined);
        }
      });
      await page.goto(site.url);
    }, 60_000);

    const sessionCookie = async () => (await context.cookies(site.url)).find((c) => c.name === 'wos-session');
    const text = (id: string) => page.getByTestId(id).innerText();

    /** Nothing a script on the page can read holds a token or the session. */
    async function expectNoTokenVisibleToScripts(tokens: string[]) {
      const visible = await page.evaluate(() => ({
        cookie: document.cookie,
        local: JSON.stringify({ ...localStorage }),
        session: JSON.stringify({ ...sessionStorage }),
        html: document.documentElement.outerHTML,
      }));
      expect(visible.cookie).not.toContain('wos-session');
      for (const where of [visible.cookie, visible.local, visible.session, visible.html]) {
        expect(where).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
        for (const token of tokens) expect(where).not.toContain(token);
      }
    }

    /** Signs in; a member of several organizations then picks `organizationId` from the offered ones. */
    async function signIn(email: string, organizationId?: string) {
      await page.getByTestId('email').fill(email);
      await page.getByTestId('password').fill('Password123!');
      await page.getByTestId('sign-in').click();
      if (organizationId) {
        const choice = page.getByTestId(`choose-${organizationId}`);
        await choice.waitFor(UI);
        // The password alone opened no session yet.
        expect(await sessionCookie()).toBeUndefined();
        await choice.click();
      }
      await expect.poll(() => text('viewer'), UI).toBe(email);
      const cookie = await sessionCookie();
      expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });
      return cookie!;
    }

    it('signs in: the session is an HttpOnly cookie no script can read', async () => {
      await expect.poll(() => text('viewer-error'), UI).toBe('UNAUTHENTICATED');
      // Alice belongs to Acme and Globex: she chooses Acme, where she is an admin.
      const cookie = await signIn('alice@acme.test', s.acme.id);
      const session = await unsealSession(cookie.value);
      expect(decodeJwt(session.accessToken).org_id).toBe(s.acme.id);
      await expectNoTokenVisibleToScripts([session.accessToken, session.refreshToken]);
    });

    it('lists my organizations and loads the next page of members', async () => {
      const mine = [...stack.emulator.store.memberships.values()].filter((m) => m.user_id === s.alice.id && m.status === 'active');
      await expect.poll(() => page.getByTestId('organizations').locator('li').count(), UI).toBe(mine.length);
      await page.getByTestId(`open-${s.acme.id}`).click();
      await expect.poll(() => text('organization-name'), UI).toBe('Acme Corp');
      await expect.poll(() => text('can-update'), UI).toBe('may update');

      const members = page.getByTestId('members').locator('li');
      await expect.poll(() => members.count(), UI).toBe(3);
      await page.getByTestId('more-members').click();
      await expect.poll(() => members.count(), UI).toBe(6);
      const newestFirst = [...stack.emulator.store.memberships.values()].filter((m) => m.organization_id === s.acme.id).map((m) => m.id).sort().reverse();
      expect(await members.evaluateAll((items) => items.map((li) => li.getAttribute('data-id')))).toEqual(newestFirst.slice(0, 6));
    });

    it('renames the organization as its admin, and the subscription hears of it', async () => {
      await expect.poll(() => text('events-status'), UI).toBe('open');
      await page.getByTestId('rename-input').fill('Acme Renamed');
      await page.getByTestId('rename').click();
      await expect.poll(() => text('renamed'), UI).toBe('Acme Renamed');
      expect(stack.emulator.store.organizations.get(s.acme.id)?.name).toBe('Acme Renamed');
      await expect.poll(() => text('last-event'), UI).toBe('Acme Renamed');
    });

    it('signs out: the session is revoked, the cookie gone, and queries are refused', async () => {
      const cookie = await sessionCookie();
      const sessionId = String(decodeJwt((await unsealSession(cookie!.value)).accessToken).sid);
      await page.getByTestId('sign-out').click();
      await expect.poll(() => text('viewer-error'), UI).toBe('UNAUTHENTICATED');
      expect(await sessionCookie()).toBeUndefined();
      expect(stack.emulator.store.sessions.get(sessionId)?.status).toBe('revoked');
      // The old cookie, replayed, is refused too.
      const replay = await postAsBrowser(stack.url, '{ viewer { kind } }', { cookie: cookie!.value });
      expect(replay.status).toBe(401);
    });

    it('a member gets a typed FORBIDDEN error when renaming', async () => {
      await signIn('bob@acme.test');
      await page.getByTestId(`open-${s.acme.id}`).click();
      await expect.poll(() => text('can-update'), UI).toBe('read only');
      await page.getByTestId('rename-input').fill('Bob was here');
      await page.getByTestId('rename').click();
      await expect.poll(() => text('rename-error'), UI).toBe('FORBIDDEN');
      expect(stack.emulator.store.organizations.get(s.acme.id)?.name).toBe('Acme Renamed');
    });

    it('after the access token expired, the gateway refreshes the session (a new cookie, the refresh token rotated)', async () => {
      const before = await sessionCookie();
      const session = await unsealSession(before!.value);
      const expiresAt = decodeJwt(session.accessToken).exp! * 1000;
      // Bounded: the token lives TOKEN_TTL_SECONDS.
      await page.waitForTimeout(Math.max(0, expiresAt - Date.now()) + 500);
      stack.resetCalls();

      await page.getByTestId('reload').click();
      await expect.poll(() => text('viewer-fetching'), UI).toBe('idle');
      expect(await text('viewer')).toBe('bob@acme.test');
      const after = await sessionCookie();
      expect(after!.value).not.toBe(before!.value);
      const refreshed = await unsealSession(after!.value);
      expect(refreshed.refreshToken).not.toBe(session.refreshToken);
      expect(decodeJwt(refreshed.accessToken).exp! * 1000).toBeGreaterThan(expiresAt);
      expect(stack.emulator.store.auth.refreshTokens.has(session.refreshToken)).toBe(false);
      expect(stack.calls()['POST /user_management/authenticate']).toBe(1);
      await expectNoTokenVisibleToScripts([session.accessToken, session.refreshToken, refreshed.accessToken, refreshed.refreshToken]);
    });

    it('signs out again, then every query is refused; no response ever carried a token', async () => {
      const session = await unsealSession((await sessionCookie())!.value);
      await page.getByTestId('sign-out').click();
      await expect.poll(() => text('viewer-error'), UI).toBe('UNAUTHENTICATED');
      const refused = await page.evaluate(async () => {
        const response = await fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-graphql-yoga-csrf': '1' },
          body: JSON.stringify({ query: '{ organizations { edges { node { id } } } }' }),
        });
        return response.status;
      });
      expect(refused).toBe(401);
      await expectNoTokenVisibleToScripts([session.accessToken, session.refreshToken]);
      expect(bodies.length).toBeGreaterThan(10);
      for (const body of bodies) expect(body).not.toMatch(/"(accessToken|refreshToken)":"/);
      expect(offLoopback).toEqual([]);
    });
  });
});
