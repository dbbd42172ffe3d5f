import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../kit/stack.ts';
import { launchLoopbackBrowser } from './chromium.ts';

/**
 * GraphiQL as a person uses it: a headless Chromium opens the gateway's page, a query is
 * typed and run, the docs explorer is read, and a screenshot is kept. Every request the page
 * makes must stay on loopback, so the page works offline (assets come from /graphiql/assets/).
 *
 * The browser is Debian's /usr/bin/chromium when installed, else the one the npm package
 * @sparticuz/chromium ships (./chromium.ts): CHROMIUM_PATH overrides both, E2E_CHROMIUM=npm
 * forces the npm one. UPDATE_SCREENSHOTS=1 also refreshes docs/graphiql.png.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCREENSHOT = join(ROOT, 'test-results/graphiql.png');

const QUERY = 'query AcmeByDomain { organizations(domains: ["acme.test"]) { edges { node { id name domains { domain state } } } } }';

let stack: Stack;
let userDataDir: string;
let context: BrowserContext;
let page: Page;
const offLoopback: string[] = [];
/** The headers of each GraphQL POST the page sends. */
const graphqlPosts: Record<string, string>[] = [];

/** How long the page may take to show something (expect.poll waits 1 s by default). */
const UI = { timeout: 15_000 };

/** Visible text, with the no-break spaces Monaco draws turned back into spaces. */
const textOf = async (locator: Locator) => (await locator.innerText()).replace(/\u00a0/g, ' ');

beforeAll(async () => {
  stack = await startStack();
  userDataDir = mkdtempSync(join(tmpdir(), 'graphiql-chromium-'));
  ({ context, page } = await launchLoopbackBrowser('GraphiQL test', userDataDir, offLoopback, { width: 1600, height: 900 }));
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/graphql') graphqlPosts.push(request.headers());
  });
}, 60_000);

afterAll(async () => {
  await context?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  await stack?.close();
});

describe('GraphiQL in Chromium', () => {
  it('serves the page and its assets from the gateway, with the example query', async () => {
    const response = await page.goto(stack.url);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toContain('text/html');
    await expect.poll(() => page.title(), UI).toBe('WorkOS GraphQL Gateway');
    await page.locator('.graphiql-query-editor .monaco-editor').waitFor({ timeout: 20_000 });
    await expect.poll(() => textOf(page.locator('.graphiql-query-editor')), UI).toContain('query OrganizationsWithMembers');
  });

  it('runs a typed query and shows the result', async () => {
    await page.locator('.graphiql-query-editor .monaco-editor').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type(QUERY);
    // GraphiQL mirrors the editor into ?query=: the exact text typed, auto-closed brackets included.
    await expect.poll(() => new URL(page.url()).searchParams.get('query'), UI).toBe(QUERY);
    await page.locator('button[aria-label^="Prettify query"]').click();
    await page.locator('.graphiql-query-editor .monaco-editor').click();
    await page.keyboard.press('ControlOrMeta+Home'); // scrolls the editor back to column 1
    await expect.poll(() => textOf(page.locator('.graphiql-query-editor')), UI).toContain('organizations(domains: ["acme.test"]) {');

    // Sign in as a developer would: the token goes into the Headers tab.
    const tools = page.locator('.graphiql-editor-tools');
    await tools.locator('button[data-name="headers"]').click();
    const headers = page.locator('.graphiql-editor-tool .monaco-editor[data-uri$="request-headers.json"]');
    await headers.click();
    await page.keyboard.type(`{"authorization": "Bearer ${stack.serviceToken}"}`);
    await expect.poll(() => textOf(headers), UI).toContain(`{"authorization": "Bearer ${stack.serviceToken}"}`);
    await tools.locator('button[data-name="variables"]').click(); // keeps the token out of the screenshot

    await page.locator('.graphiql-execute-button').click();
    const response = page.locator('.graphiql-response');
    await expect.poll(() => textOf(response), UI).toContain('"name": "Acme Corp"');
    expect(await textOf(response)).toContain('"domain": "acme.test"');
    // Every request of the page carries the CSRF header, so GraphiQL works with cookie sessions too.
    expect(graphqlPosts.length).toBeGreaterThan(0);
    expect(graphqlPosts.every((headers) => headers['x-graphql-yoga-csrf'] === '1')).toBe(true);
  });

  it("finds Organization's description in the documentation explorer", async () => {
    await page.locator('button[aria-label="Show Documentation Explorer"]').click();
    const explorer = page.locator('.graphiql-doc-explorer');
    await explorer.waitFor();
    await explorer.locator('input').first().fill('Organization');
    await page.getByRole('option', { name: 'Organization', exact: true }).click();
    await expect.poll(() => textOf(explorer.locator('.graphiql-doc-explorer-title')), UI).toBe('Organization');
    await expect.poll(() => textOf(explorer), UI).toContain('A WorkOS organization: a customer of your application');
  });

  it('leaves a screenshot of the query, its result and the docs', async () => {
    mkdirSync(join(ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    if (process.env.UPDATE_SCREENSHOTS) copyFileSync(SCREENSHOT, join(ROOT, 'docs/graphiql.png'));
    expect(offLoopback).toEqual([]);
  });
});
