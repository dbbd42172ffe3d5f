import type { EmulatorHandle } from '@workos-graphql-gateway/emulator';
import { query } from './stack.ts';

/**
 * The query shapes of the upstream-call suite. For each: the query, its variables, and the
 * minimum number of WorkOS calls any client could answer it with, and why (see bench/README.md).
 */
export interface Shape {
  name: string;
  document: string;
  variables: Record<string, unknown>;
  minimum: number;
  why: string;
  nested: boolean;
}

export function suiteShapes(em: EmulatorHandle, usersFirstPage: string[]): Shape[] {
  const s = em.store;
  const newest = <T extends { id: string }>(items: Iterable<T>) => [...items].sort((a, b) => (a.id < b.id ? 1 : -1));
  const orgs = newest(s.organizations.values());
  const memberCount = (id: string) => [...s.memberships.values()].filter((m) => m.organization_id === id).length;
  const big = orgs.find((o) => memberCount(o.id) >= 100)!;
  const memberships = newest(s.memberships.values());
  const dirs = newest(s.directories.values());
  // Organizations named by the first 100 members' memberships, beyond the one asked for.
  const members = memberships.filter((m) => m.organization_id === big.id).slice(0, 100).map((m) => m.user_id);
  const otherOrgs = new Set(
    [...s.memberships.values()].filter((m) => members.includes(m.user_id) && m.organization_id !== big.id).map((m) => m.organization_id),
  );
  const mixed = [
    ...orgs.slice(0, 10).map((o) => o.id),
    ...usersFirstPage.slice(0, 10),
    ...memberships.slice(0, 10).map((m) => m.id),
    ...dirs.slice(0, 5).map((d) => d.id),
    ...newest(s.connections.values()).slice(0, 10).map((c) => c.id),
    ...newest(s.directoryUsers.values()).slice(0, 5).map((u) => u.id),
  ];
  return [
    {
      name: 'one organization',
      document: `query($id: ID!) { organization(id: $id) { id name domains { domain } } }`,
      variables: { id: big.id },
      minimum: 1,
      why: 'one GET /organizations/:id',
      nested: false,
    },
    {
      name: '50 organizations',
      document: `{ organizations(first: 50) { edges { node { id name domains { domain } } } } }`,
      variables: {},
      minimum: 1,
      why: 'one list page (limit 50)',
      nested: false,
    },
    {
      name: 'organization, 100 members, their organizations',
      document: `query($id: ID!) { organization(id: $id) { name memberships(first: 100) { edges { node { role { slug } user { email organizations(first: 10) { edges { node { name } } } } } } } } }`,
      variables: { id: big.id },
      minimum: 102,
      why: `the organization (1) + its membership page, which carries each user (1) + one membership list per member, as WorkOS filters memberships by one user at a time (100); each membership names its organization, so the ${otherOrgs.size} other organizations they belong to cost nothing more`,
      nested: true,
    },
    {
      name: '10 organizations with their members',
      document: `{ organizations(first: 10) { edges { node { name memberships(first: 100) { edges { node { role { slug } user { email } } } } } } } }`,
      variables: {},
      minimum: 11,
      why: 'the organizations page (1) + one membership page per organization, users embedded (10)',
      nested: true,
    },
    {
      name: 'directories with users and groups',
      document: `{ directories(first: 5) { edges { node { name organization { name } users(first: 20) { edges { node { email directory { name } } } } groups(first: 10) { edges { node { name directory { name } } } } } } } }`,
      variables: {},
      minimum: 12,
      why: 'the directories page (1) + one organizations page for their organizations (1) + a users page and a groups page per directory (5 + 5); each user’s and group’s directory is already in hand',
      nested: true,
    },
    {
      name: 'same object twice through aliases',
      document: `query($id: ID!) { a: organization(id: $id) { name } b: organization(id: $id) { name domains { domain } } }`,
      variables: { id: big.id },
      minimum: 1,
      why: 'one GET, asked for twice',
      nested: false,
    },
    {
      name: 'nodes over 50 mixed ids',
      document: `query($ids: [ID!]!) { nodes(ids: $ids) { id __typename } }`,
      variables: { ids: mixed },
      minimum: 1 + 1 + 10 + 1 + 1 + 5,
      why: 'one list page each for the 10 organizations, the 10 users (all on the first users page), the 5 directories and the 10 connections (4) + memberships and directory users have no unfiltered list, so one GET each (10 + 5)',
      nested: false,
    },
  ];
}

/** Runs one shape against a gateway and returns the WorkOS calls the emulator saw. */
export async function callsFor(em: EmulatorHandle, url: string, shape: Shape): Promise<number> {
  em.requests.reset();
  const { body } = await query(url, shape.document, shape.variables);
  if (body.errors) throw new Error(`${shape.name}: ${body.errors.map((e) => e.message).join('; ')}`);
  return em.requests.total();
}
