import { describe, expect, it } from 'vitest';
import { routeOf } from './routes.ts';

const ORG = 'org_01HZX3Y8Q2N4R6T8V0W2XYZABC';
const USER = 'user_01HZX3Y8Q2N4R6T8V0W2XYZABD';
const MEMBERSHIP = 'om_01HZX3Y8Q2N4R6T8V0W2XYZABE';

describe('routeOf', () => {
  it.each([
    ['GET', '/organizations', 'GET /organizations'],
    ['GET', `/organizations/${ORG}`, 'GET /organizations/:id'],
    ['get', `/organizations/${ORG}`, 'GET /organizations/:id'],
    ['DELETE', `/user_management/users/${USER}`, 'DELETE /user_management/users/:id'],
    ['PUT', `/user_management/organization_memberships/${MEMBERSHIP}/deactivate`, 'PUT /user_management/organization_memberships/:id/deactivate'],
    ['POST', `/user_management/users/${USER}/email_verification/send`, 'POST /user_management/users/:id/email_verification/send'],
    ['GET', `/user_management/organization_memberships?user_id=${USER}&limit=100`, 'GET /user_management/organization_memberships'],
    ['GET', `/organizations/${ORG}?expand=domains`, 'GET /organizations/:id'],
  ])('%s %s -> %s', (method, path, route) => {
    expect(routeOf(method, path)).toBe(route);
  });

  it.each([
    ['/organizations/external_id/acme-42', 'GET /organizations/external_id/:external_id'],
    ['/user_management/users/external_id/some%20thing', 'GET /user_management/users/external_id/:external_id'],
    [`/organizations/external_id/${ORG}`, 'GET /organizations/external_id/:external_id'],
  ])('groups external id lookups: %s', (path, route) => {
    expect(routeOf('GET', path)).toBe(route);
  });

  it('leaves a trailing external_id segment alone when nothing follows it', () => {
    expect(routeOf('GET', '/organizations/external_id')).toBe('GET /organizations/external_id');
  });

  it.each([
    ['lowercase ulid', 'org_01hzx3y8q2n4r6t8v0w2xyzabc'],
    ['too short', 'org_01HZX3Y8Q2N4R6T8V0W2XYZAB'],
    ['too long', 'org_01HZX3Y8Q2N4R6T8V0W2XYZABCD'],
    ['no prefix', '01HZX3Y8Q2N4R6T8V0W2XYZABC'],
    ['excluded letter I', 'org_01HZX3Y8Q2N4R6T8V0W2XYZABI'],
    ['plain word', 'organizations'],
  ])('keeps a segment that is not an id (%s)', (_label, segment) => {
    expect(routeOf('GET', `/things/${segment}`)).toBe(`GET /things/${segment}`);
  });
});
