import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { print, type DocumentNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateOrganizationDocument,
  createGatewayClient,
  documentIdOf,
  GatewayRequestError,
  OrganizationDetailDocument,
  OrganizationListDocument,
} from '@workos-graphql-gateway/client/documents';
import * as documents from '@workos-graphql-gateway/client/documents';
import { ConfigError, loadConfig } from '../../src/config/index.ts';
import { usePersistedDocuments } from '../../src/plugins/use-persisted-documents.ts';
import { startStack, type Stack } from '../kit/stack.ts';
import { bearer, post } from '../kit/http.ts';

const MANIFEST = fileURLToPath(new URL('../../packages/client/src/generated/persisted-documents.json', import.meta.url));
const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, string>;

describe('the manifest codegen writes', () => {
  it('holds every generated document under the id embedded in it (sha256:<hex>)', () => {
    const generated = Object.entries(documents).filter(([name]) => name.endsWith('Document'));
    expect(generated.length).toBeGreaterThanOrEqual(10);
    for (const [name, document] of generated) {
      const id = documentIdOf(document as DocumentNode);
      expect(id, name).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(Object.keys(manifest), name).toContain(id);
    }
  });
});

describe('a gateway that runs persisted documents only', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { GATEWAY_PERSISTED_DOCUMENTS: MANIFEST, GATEWAY_PERSISTED_ONLY: 'true' } });
  });
  afterAll(() => stack.close());

  it('runs a query the client sends by documentId', async () => {
    const client = createGatewayClient({ url: stack.url, persisted: true, headers: bearer(stack.serviceToken) });
    const page = await client.request(OrganizationListDocument, { first: 3 });
    const newest = [...stack.emulator.store.organizations.values()].sort((a, b) => (a.id < b.id ? 1 : -1)).slice(0, 3);
    expect(page.organizations?.edges.map((e) => e.node.name)).toEqual(newest.map((o) => o.name));
  });

  it('runs a mutation the client sends by documentId', async () => {
    const client = createGatewayClient({ url: stack.url, persisted: true, headers: bearer(stack.serviceToken) });
    const { createOrganization } = await client.request(CreateOrganizationDocument, { input: { name: 'Persisted Co' } });
    expect(createOrganization).toMatchObject({ __typename: 'OrganizationPayload', organization: { name: 'Persisted Co' } });
  });

  it("accepts Apollo's extensions.persistedQuery.sha256Hash for the same document", async () => {
    const acme = [...stack.emulator.store.organizations.values()].find((o) => o.name === 'Acme Corp')!;
    const sha256Hash = documentIdOf(OrganizationDetailDocument)!.replace(/^sha256:/, '');
    const response = await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(stack.serviceToken) },
      body: JSON.stringify({ variables: { id: acme.id }, extensions: { persistedQuery: { version: 1, sha256Hash } } }),
    });
    const body = (await response.json()) as { data?: { organization?: { name: string } }; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    expect(body.data?.organization?.name).toBe('Acme Corp');
  });

  it('refuses an arbitrary query, and the text of a persisted one, before any upstream call', async () => {
    stack.resetCalls();
    for (const query of ['{ organizations(first: 100) { edges { node { id name } } } }', print(OrganizationListDocument)]) {
      const { status, body } = await post(stack.url, query);
      expect(status).toBe(400);
      expect(body.data ?? null).toBeNull();
      expect(body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_ONLY');
    }
    expect(stack.totalCalls()).toBe(0);
  });

  it('refuses an unknown document id with a clear error', async () => {
    const response = await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(stack.serviceToken) },
      body: JSON.stringify({ documentId: `sha256:${'0'.repeat(64)}` }),
    });
    const body = (await response.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
    expect(response.status).toBe(400);
    expect(body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    await expect(
      createGatewayClient({ url: stack.url, persisted: true, headers: bearer(stack.serviceToken) }).request({ ...OrganizationListDocument, __meta__: { hash: 'sha256:nope' } } as typeof OrganizationListDocument, {}),
    ).rejects.toBeInstanceOf(GatewayRequestError);
  });
});

describe('a gateway with persisted documents that still accepts text', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { GATEWAY_PERSISTED_DOCUMENTS: MANIFEST } });
  });
  afterAll(() => stack.close());

  it('runs both', async () => {
    const byId = await createGatewayClient({ url: stack.url, persisted: true, headers: bearer(stack.serviceToken) }).request(OrganizationListDocument, { first: 2 });
    const byText = await createGatewayClient({ url: stack.url, headers: bearer(stack.serviceToken) }).request(OrganizationListDocument, { first: 2 });
    expect(byId).toEqual(byText);
    expect(byId.organizations?.edges).toHaveLength(2);
  });
});

describe('configuration', () => {
  it('stops on a manifest path that is not a file, naming the variable', () => {
    expect(() => loadConfig({ GATEWAY_PERSISTED_DOCUMENTS: '/nonexistent/persisted-documents.json' })).toThrow(ConfigError);
    expect(() => loadConfig({ GATEWAY_PERSISTED_DOCUMENTS: '/nonexistent/persisted-documents.json' })).toThrow(/GATEWAY_PERSISTED_DOCUMENTS/);
    expect(() => loadConfig({ GATEWAY_PERSISTED_DOCUMENTS: tmpdir() })).toThrow(/GATEWAY_PERSISTED_DOCUMENTS/);
    expect(() => loadConfig({ GATEWAY_PERSISTED_ONLY: 'perhaps' })).toThrow(/GATEWAY_PERSISTED_ONLY/);
    expect(loadConfig({ GATEWAY_PERSISTED_DOCUMENTS: MANIFEST, GATEWAY_PERSISTED_ONLY: 'yes' }).persistedDocuments).toEqual({ path: MANIFEST, only: true });
  });

  it.each([
    ['broken.json', '{ not json'],
    ['array.json', '["query { a }"]'],
    ['number.json', '{ "sha256:abc": 1 }'],
  ])('stops on a manifest that is not an id-to-document object (%s), naming the variable', (name, content) => {
    const dir = mkdtempSync(join(tmpdir(), 'persisted-'));
    writeFileSync(join(dir, name), content);
    expect(() => usePersistedDocuments({ path: join(dir, name), only: false })).toThrow(/^GATEWAY_PERSISTED_DOCUMENTS: /);
  });

  it('refuses persisted-only without a manifest', () => {
    expect(() => usePersistedDocuments({ path: undefined, only: true })).toThrow(/GATEWAY_PERSISTED_ONLY: needs GATEWAY_PERSISTED_DOCUMENTS/);
    expect(usePersistedDocuments({ path: undefined, only: false })).toEqual({});
  });
});
