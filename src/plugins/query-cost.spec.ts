import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../schema/index.ts';
import { estimateCost } from './query-cost.ts';

// Characterization of today's cost model (see the doc comment of estimateCost); kept small on purpose.
const schema = buildSchema();
const cost = (source: string, variables?: Record<string, unknown>, operationName?: string) =>
  estimateCost({ schema, document: parse(source), variables, operationName });

describe('estimateCost', () => {
  it.each([
    ['only __typename', '{ __typename }', 0],
    ['one root field with scalars', '{ organization(id: "o") { id name } }', 1],
    ['two root fields', '{ organization(id: "o") { id } user(id: "u") { id } }', 2],
    ['an embedded list of objects costs nothing more', '{ organization(id: "o") { domains { id } } }', 1],
    ['a connection at the default size: 1 page + 10 organizations', '{ organizations { edges { node { id } } } }', 11],
    ['first: 5, page info free', '{ organizations(first: 5) { edges { node { id } } pageInfo { hasNextPage } } }', 6],
    ['first: 250: 3 upstream pages + 250', '{ organizations(first: 250) { edges { node { id } } } }', 253],
    ['last: 3', '{ organizations(last: 3) { edges { node { id } } } }', 4],
    ['nodes(ids:) one per id', '{ nodes(ids: ["a", "b"]) { id } }', 2],
    [
      "nested connection: a membership's organization costs 1, its user 0",
      '{ organization(id: "o") { memberships(first: 5) { edges { node { id user { id } organization { id } } } } } }',
      7,
    ],
    [
      "a user's memberships at the default size, each loading its organization",
      '{ user(id: "u") { memberships { edges { node { organization { name } } } } } }',
      12,
    ],
    ['viewer memberships are flat', '{ viewer { memberships { id organization { id } } } }', 2],
    ['a fragment counts in full', 'fragment F on Organization { memberships(first: 2) { edges { node { id } } } } { organization(id: "o") { ...F } }', 2],
    ['a mutation costs 1', 'mutation { deleteUser(input: { id: "u" }) { __typename } }', 1],
    ['an organization’s roles: one list', '{ organization(id: "o") { roles { slug name permissions } } }', 2],
    ['a membership’s role: at most its organization’s role list', '{ organization(id: "o") { memberships(first: 5) { edges { node { role { name } roles { slug } } } } } }', 12],
    ['filtered invitations: up to 2 more pages', '{ organization(id: "o") { invitations(first: 5, states: [PENDING]) { edges { node { email organizationName } } } } }', 9],
    ['an invitation by token: it and the viewer’s user', '{ invitationByToken(token: "t") { email } }', 2],
    ['viewer sessions: a page, each session’s organization', '{ viewer { sessions(first: 3) { edges { node { id organization { id } signOutUrl } } } impersonator { email } } }', 5],
    ['audit log actions with their schemas', '{ auditLogActions(first: 2) { edges { node { name schema { version } schemas { version } } } } }', 3],
    ['the authorization URL costs nothing', '{ authorizationUrl(input: { provider: AUTHKIT, redirectUri: "https://x.test" }) }', 0],
  ])('%s -> %i', (_label, source, expected) => {
    expect(cost(source)).toBe(expected);
  });

  const sized = 'query($n: Int) { organizations(first: $n) { edges { node { id } } } }';
  const byIds = 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }';

  it.each<[string, string, Record<string, unknown> | undefined, number]>([
    ['first from a variable', sized, { n: 20 }, 21],
    ['first from a variable above 100', sized, { n: 150 }, 152],
    ['an absent size variable: the default size', sized, {}, 11],
    ['no variables at all', sized, undefined, 11],
    ['ids from a variable', byIds, { ids: ['a', 'b', 'c'] }, 3],
    ['ids variable missing: one', byIds, {}, 1],
  ])('honours variables: %s -> %i', (_label, source, variables, expected) => {
    expect(cost(source, variables)).toBe(expected);
  });

  const twoOperations = 'query A { organization(id: "o") { id } } query B { organizations(first: 3) { edges { node { id } } } }';

  it.each<[string, string | undefined, number]>([
    ['no operation name: the first operation', undefined, 1],
    ['the named operation A', 'A', 1],
    ['the named operation B', 'B', 4],
    ['an unknown operation name', 'C', 0],
  ])('picks the operation: %s -> %i', (_label, operationName, expected) => {
    expect(cost(twoOperations, undefined, operationName)).toBe(expected);
  });
});
