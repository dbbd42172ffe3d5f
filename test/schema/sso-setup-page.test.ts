import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CreateOrganizationDomainDocument,
  CreateWidgetTokenDocument,
  DeleteOrganizationDomainDocument,
  GenerateAdminPortalLinkDocument,
  SsoSetupPageDocument,
  VerifyOrganizationDomainDocument,
} from '@workos-graphql-gateway/client/documents';
import type { seeded} from '../kit/callers.ts';
import { codes, results, send, startAcmeAdminStack } from '../kit/callers.ts';
import type { Stack } from '../kit/stack.ts';

/** The SSO and directory setup page: domains with DNS verification, Admin Portal links, widget tokens. */
let stack: Stack;
let s: ReturnType<typeof seeded>;
let alice: string;
beforeAll(async () => {
  ({ stack, s, alice } = await startAcmeAdminStack());
});
afterAll(() => stack.close());
beforeEach(() => stack.resetCalls());

/** Everything written to the console and the process streams while `run` runs. */
async function captureOutput(run: () => Promise<void>): Promise<string> {
  const lines: string[] = [];
  const keep = (...args: unknown[]) => void lines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
  const spies = [
    ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m).mockImplementation(keep)),
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (keep(String(chunk)), true)),
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (keep(String(chunk)), true)),
  ];
  try {
    await run();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return lines.join('\n');
}

describe('the SSO setup page', () => {
  it('reads domains (with their DNS verification values), connections and directories: one call each', async () => {
    const page = await stack.clientAs(alice).request(SsoSetupPageDocument, { organizationId: s.acme.id });
    expect(page.organization?.domains).toEqual([
      { id: s.acme.domains[0].id, domain: 'acme.test', state: 'verified', verificationStrategy: 'dns', verificationToken: null, verificationPrefix: null },
    ]);
    expect(page.organization?.ssoConnections?.edges.length).toBeGreaterThan(0);
    expect(page.organization?.directories?.edges.length).toBeGreaterThan(0);
    expect(stack.calls()).toEqual({
      'GET /user_management/organization_memberships': 1,
      'GET /organizations/:id': 1,
      'GET /connections': 1,
      'GET /directories': 1,
    });
  });
});

describe('domain verification', () => {
  it('adds a pending domain, verify fails until the TXT record is there, then verifies; delete removes it', async () => {
    const created = await stack.clientAs(alice).request(CreateOrganizationDomainDocument, { organizationId: s.acme.id, domain: 'acme-eu.test' });
    expect(created.createOrganizationDomain.__typename).toBe('OrganizationDomainPayload');
    const domain = created.createOrganizationDomain.__typename === 'OrganizationDomainPayload' ? created.createOrganizationDomain.organizationDomain : undefined;
    expect(domain).toMatchObject({ domain: 'acme-eu.test', state: 'pending', verificationStrategy: 'dns', verificationToken: expect.any(String), verificationPrefix: expect.any(String) });
    expect(stack.calls()['POST /organization_domains']).toBe(1);

    const failed = await stack.clientAs(alice).request(VerifyOrganizationDomainDocument, { id: domain!.id });
    expect(failed.verifyOrganizationDomain).toMatchObject({ organizationDomain: { state: 'failed' } });
    stack.emulator.dns.publishTxtRecord(`${domain!.verificationPrefix}.${domain!.domain}`, domain!.verificationToken!);
    const verified = await stack.clientAs(alice).request(VerifyOrganizationDomainDocument, { id: domain!.id });
    expect(verified.verifyOrganizationDomain).toMatchObject({ organizationDomain: { state: 'verified' } });
    const again = await stack.clientAs(alice).request(VerifyOrganizationDomainDocument, { id: domain!.id });
    expect(again.verifyOrganizationDomain.__typename).toBe('ConflictError');

    // The organization shows it, read fresh after the write in the same request.
    const { body } = await send(stack, alice, `{ organization(id: "${s.acme.id}") { domains { domain state } } }`);
    expect((body.data?.organization as { domains: unknown[] }).domains).toContainEqual({ domain: 'acme-eu.test', state: 'verified' });

    const deleted = await stack.clientAs(alice).request(DeleteOrganizationDomainDocument, { id: domain!.id });
    expect(deleted.deleteOrganizationDomain).toEqual({ __typename: 'DeletePayload', deletedId: domain!.id });
    expect(stack.emulator.store.organizations.get(s.acme.id)!.domains.map((d) => d.domain)).toEqual(['acme.test']);
  });

  it('a domain another organization has is a ConflictError; a malformed one is refused before WorkOS', async () => {
    const taken = await stack.clientAs(alice).request(CreateOrganizationDomainDocument, { organizationId: s.acme.id, domain: 'globex.test' });
    expect(taken.createOrganizationDomain.__typename).toBe('ConflictError');
    stack.resetCalls();
    const { body } = await send(stack, alice, `mutation { createOrganizationDomain(input: { organizationId: "${s.acme.id}", domain: "https://x" }) { __typename } }`);
    // Refused input is a typed ValidationError, like every mutation's expected failure.
    expect(codes(body)).toEqual([]);
    expect(results(body)).toEqual(['ValidationError']);
    expect(stack.totalCalls()).toBe(0);
  });

  it('a service deleting an absent domain gets NotFoundError after one read', async () => {
    const { body } = await send(stack, stack.serviceToken, 'mutation { deleteOrganizationDomain(input: { id: "org_domain_01ZZZZZZZZZZZZZZZZZZZZZZZZ" }) { __typename } }');
    expect(body.data?.deleteOrganizationDomain).toEqual({ __typename: 'NotFoundError' });
    expect(stack.calls()).toEqual({ 'GET /organization_domains/:id': 1 });
  });
});

describe('Admin Portal links and widget tokens', () => {
  it('returns the link and the token to the admin, and never writes them to the logs', async () => {
    let link = '';
    let token = '';
    const output = await captureOutput(async () => {
      const portal = await stack.clientAs(alice).request(GenerateAdminPortalLinkDocument, {
        input: { organizationId: s.acme.id, intent: 'SSO', returnUrl: 'https://app.example.test/settings/sso' },
      });
      link = portal.generateAdminPortalLink.__typename === 'AdminPortalLinkPayload' ? portal.generateAdminPortalLink.link : '';
      const widget = await stack.clientAs(alice).request(CreateWidgetTokenDocument, { input: { organizationId: s.acme.id, scopes: ['USERS_TABLE_MANAGE'] } });
      token = widget.createWidgetToken.__typename === 'WidgetTokenPayload' ? widget.createWidgetToken.token : '';
    });
    expect(link).toMatch(/\/portal\/launch\?secret=/);
    expect(token).toMatch(/^wt_/);
    expect(output).not.toContain(link);
    expect(output).not.toContain(token);
    expect(stack.calls()).toMatchObject({ 'POST /portal/generate_link': 1, 'POST /widgets/token': 1 });
    // The token is for the admin herself in Acme.
    expect(stack.emulator.store.widgetTokens.get(token)).toMatchObject({ organization_id: s.acme.id, user_id: s.alice.id, scopes: ['widgets:users-table:manage'] });
    // The link opens the portal for the intent.
    expect(await (await fetch(link)).text()).toContain('Admin Portal: sso');
  });

  it('refuses a return URL that is not http(s), and no scopes, before WorkOS', async () => {
    const { body } = await send(
      stack,
      alice,
      `mutation { generateAdminPortalLink(input: { organizationId: "${s.acme.id}", intent: SSO, returnUrl: "javascript:alert(1)" }) { __typename } }`,
    );
    // Refused input is a typed ValidationError, like every mutation's expected failure.
    expect(codes(body)).toEqual([]);
    expect(results(body)).toEqual(['ValidationError']);
    const none = await send(stack, alice, `mutation { createWidgetToken(input: { organizationId: "${s.acme.id}", scopes: [] }) { __typename } }`);
    // Refused input is a typed ValidationError, like every mutation's expected failure.
    expect(codes(none.body)).toEqual([]);
    expect(results(none.body)).toEqual(['ValidationError']);
    expect(stack.calls()['POST /portal/generate_link']).toBeUndefined();
    expect(stack.calls()['POST /widgets/token']).toBeUndefined();
  });
});
