import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../kit/stack.ts';
import { codes, send } from '../kit/callers.ts';

/**
 * A WorkOS-compatible upstream that spells some id prefixes its own way (as WorkOS' open-source
 * emulator does): ids the gateway itself listed or created must work in its typed fields, and
 * node(id) dispatches them once it has seen them.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ emulator: { exportDelayMs: 50, idPrefixes: { directoryGroup: 'directory_grp_', auditLogExport: 'audit_export_' } } });
});
afterAll(() => stack.close());
beforeEach(() => stack.resetCalls());

const query = (q: string, variables?: Record<string, unknown>) => send(stack, stack.serviceToken, q, variables);

describe('ids in another upstream’s spelling', () => {
  it('a group from a directory page can be read by its id, and node(id) learns its prefix', async () => {
    const directory = [...stack.emulator.store.directories.values()][0];
    const { body } = await query(`query($id: ID!) { directory(id: $id) { groups(first: 5) { edges { node { id name } } } } }`, { id: directory.id });
    expect(body.errors).toBeUndefined();
    const groups = (body.data?.directory as { groups: { edges: { node: { id: string; name: string } }[] } }).groups.edges.map((e) => e.node);
    expect(groups.length).toBeGreaterThan(0);
    expect(groups[0].id).toMatch(/^directory_grp_/);

    const typed = await query(`query($id: ID!) { directoryGroup(id: $id) { id name } }`, { id: groups[0].id });
    expect(typed.body.errors).toBeUndefined();
    expect(typed.body.data?.directoryGroup).toEqual(groups[0]);

    const node = await query(`query($id: ID!) { node(id: $id) { __typename id } }`, { id: groups[0].id });
    expect(node.body.errors).toBeUndefined();
    expect(node.body.data?.node).toEqual({ __typename: 'DirectoryGroup', id: groups[0].id });
  });

  it('an export it just created can be read back', async () => {
    const org = [...stack.emulator.store.organizations.values()][0];
    const created = await query(
      `mutation($input: CreateAuditLogExportInput!) { createAuditLogExport(input: $input) { ... on AuditLogExportPayload { auditLogExport { id state } } } }`,
      { input: { organizationId: org.id, rangeStart: '2026-10-01T00:00:00.000Z', rangeEnd: '2026-12-01T00:00:00.000Z' } },
    );
    const id = (created.body.data?.createAuditLogExport as { auditLogExport: { id: string } }).auditLogExport.id;
    expect(id).toMatch(/^audit_export_/);
    const read = await query(`query($id: ID!) { auditLogExport(id: $id) { id state } node(id: $id) { __typename id } }`, { id });
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data).toMatchObject({ auditLogExport: { id }, node: { __typename: 'AuditLogExport', id } });
  });

  it('node(id) refuses a well-formed id of a prefix it has never seen, clearly and without calling WorkOS', async () => {
    const { body } = await query(`{ node(id: "thing_01KDVDNAZ83S80T672BC3QYSJ8") { id } }`);
    expect(codes(body)).toEqual(['BAD_USER_INPUT']);
    expect(body.errors?.[0].message).toContain('Unknown id prefix "thing_"');
    expect(stack.totalCalls()).toBe(0);
  });

  it('a typed field still refuses an id of another type’s WorkOS prefix, and a malformed one', async () => {
    for (const id of ['user_01KDVDNAZ83S80T672BC3QYSJ8', 'directory_user_01KDVDNAZ83S80T672BC3QYSJ8', 'org_1', 'ORG_01KDVDNAZ83S80T672BC3QYSJ8']) {
      const { body } = await query(`query($id: ID!) { directoryGroup(id: $id) { id } }`, { id });
      expect(codes(body), id).toEqual(['BAD_USER_INPUT']);
    }
    expect(stack.totalCalls()).toBe(0);
  });
});
