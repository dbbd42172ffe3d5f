import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../schema/index.ts';
import { estimateCost } from './query-cost.ts';

// The cost model on the real schema; test/plugins/query-cost.test.ts holds it against calls made.
const schema = buildSchema();
const cost = (source: string, variables?: Record<string, unknown>, operationName?: string, caller: 'user' | 'service' = 'service') =>
  estimateCost({ schema, document: parse(source), variables, operationName, caller });

const ORG = 'org_01KDVDPE489PFYJ552D7N4Y5MN';
const USER = 'user_01KDVDPE489PFYJ552D7N4Y5MN';

describe('estimateCost', () => {
  it.each<[string, string, number]>([
    ['only __typename', '{ __typename }', 0],
    ['one root object with scalars', `{ organization(id: "${ORG}") { id name } }`, 1],
    ['two root objects', `{ organization(id: "${ORG}") { id } user(id: "${USER}") { id } }`, 2],
    ['the same field twice under aliases: one read', `{ a: organization(id: "${ORG}") { id } b: organization(id: "${ORG}") { name } }`, 1],
    ['an embedded list costs nothing more', `{ organization(id: "${ORG}") { domains { id } } }`, 1],
    ['a connection: its page; the items come with it', '{ organizations { edges { node { id } } } }', 1],
    ['first: 250: three upstream pages', '{ organizations(first: 250) { edges { node { id } } } }', 3],
    ['page info is part of the page', '{ organizations(first: 5) { pageInfo { hasNextPage endCursor } } }', 1],
    ['nested lists multiply: 1 + 5 × 1', '{ organizations(first: 5) { edges { node { memberships(first: 20) { edges { node { id } } } } } } }', 6],
    [
      "a membership's user and its organization's id and name come with the page",
      `{ organization(id: "${ORG}") { memberships(first: 50) { edges { node { user { email } organization { id name } } } } } }`,
      2,
    ],
    [
      "more of a membership's organization than its payload holds loads it, per membership",
      `{ organization(id: "${ORG}") { memberships(first: 5) { edges { node { organization { domains { domain } } } } } } }`,
      1 + 1 + 5,
    ],
    [
      "a user's memberships and organizations share one page",
      `{ user(id: "${USER}") { memberships { edges { node { organizationName } } } organizations { edges { node { name } } } } }`,
      2,
    ],
    [
      "a directory's users and groups: a page each; a directory user's groups come with the user",
      '{ directories(first: 2) { edges { node { users(first: 5) { edges { node { groups { edges { node { name } } } } } } groups { edges { node { name } } } } } } }',
      1 + 2 * (1 + 1),
    ],
    ['nodes(ids:): one per id', `{ nodes(ids: ["${ORG}", "${USER}"]) { id } }`, 2],
    ['a fragment counts in full', `fragment F on Organization { memberships(first: 2) { edges { node { id } } } } { organization(id: "${ORG}") { ...F } }`, 2],
    ['a mutation: its write', `mutation { deleteUser(input: { id: "${USER}" }) { __typename } }`, 1],
    ['a mutation that reads the object it changes first', 'mutation { deactivateOrganizationMembership(input: { id: "om_01KDVDPE489PFYJ552D7N4Y5MN" }) { __typename } }', 2],
  ])('%s -> %i', (_label, source, expected) => {
    expect(cost(source)).toBe(expected);
  });

  it.each<[string, string, number]>([
    ['the viewer only: from the token', '{ viewer { kind role } }', 1],
    ['a list of their organization: their memberships too', `{ users(organizationId: "${ORG}") { edges { node { id } } } }`, 2],
    ['another user: their memberships decide visibility', `{ user(id: "${USER}") { email } }`, 3],
  ])('a signed-in user: %s -> %i', (_label, source, expected) => {
    expect(cost(source, undefined, undefined, 'user')).toBe(expected);
  });

  const sized = 'query($n: Int) { organizations(first: $n) { edges { node { users(first: 1) { edges { node { id } } } } } } }';
  const sizedDefault = 'query($n: Int = 30) { organizations(first: $n) { edges { node { users(first: 1) { edges { node { id } } } } } } }';
  const byIds = 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }';
  const idsDefault = `query($ids: [ID!]! = ["${ORG}", "${ORG.replace('N', 'M')}", "${ORG.replace('N', 'P')}"]) { nodes(ids: $ids) { id } }`;

  it.each<[string, string, Record<string, unknown> | undefined, number]>([
    ['first from a variable', sized, { n: 20 }, 21],
    ['first from a variable above 100', sized, { n: 150 }, 152],
    ['an absent size variable: the default page size', sized, {}, 11],
    ["the variable's declared default", sizedDefault, {}, 31],
    ['a value sent overrides the default', sizedDefault, { n: 2 }, 3],
    ['ids from a variable, by type', byIds, { ids: [ORG, USER] }, 2],
    ['ids in a declared default; three organizations may cost the list plan one page more', idsDefault, undefined, 4],
  ])('honours variables: %s -> %i', (_label, source, variables, expected) => {
    expect(cost(source, variables)).toBe(expected);
  });

  const twoOperations = `query A { organization(id: "${ORG}") { id } } query B { organizations(first: 3) { edges { node { users { edges { node { id } } } } } } }`;

  it.each<[string, string | undefined, number]>([
    ['no operation name: the first operation', undefined, 1],
    ['the named operation A', 'A', 1],
    ['the named operation B', 'B', 4],
    ['an unknown operation name', 'C', 0],
  ])('picks the operation: %s -> %i', (_label, operationName, expected) => {
    expect(cost(twoOperations, undefined, operationName)).toBe(expected);
  });
});
