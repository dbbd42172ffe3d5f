import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { signWebhook, startEmulator, type EmulatorHandle } from '@workos-graphql-gateway/emulator';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep, waitFor, webhookUrl } from '../kit/events.ts';
import { startGateway } from '../kit/gateway.ts';
import { bearer, post, type GraphQLBody } from '../kit/http.ts';
import type { Gateway } from '../../src/gateway.ts';

/**
 * Structured logs: one JSON line per request and per notable event, at debug level so that
 * everything the gateway and yoga can say is said. A run full of sign-ins (good and bad),
 * malformed credential variables, forged and expired tokens, upstream failures and bad
 * webhooks; then every line is scanned for every secret the run used.
 */
const lines: string[] = [];
const capture = new Writable({
  write(chunk: Buffer, _encoding, done) {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  },
});
const entries = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

const secrets = new Set<string>();
const keep = <T extends string | undefined | null>(value: T): T => {
  if (value) secrets.add(value);
  return value;
};

const apiKey = keep(`sk_test_${randomBytes(12).toString('hex')}`);
const webhookSecret = keep(`whsec_${randomBytes(16).toString('hex')}`);
const serviceToken = keep(`svc_${randomBytes(32).toString('base64url')}`);
const metricsToken = keep(randomBytes(32).toString('base64url'));
const PASSWORD = keep('Password123!');

let emulator: EmulatorHandle;
let gateway: Gateway;
let url: string;
let strict: { gateway: Gateway; url: string };
let cursorDir: string;
const responses: GraphQLBody[] = [];

async function send(query: string, variables?: Record<string, unknown>, token: string | null = null, target = url) {
  const res = await post(target, query, variables, { ...bearer(token) });
  responses.push(res.body);
  return res;
}

const SIGN_IN =
  'mutation SignIn($input: SignInWithPasswordInput!) { signInWithPassword(input: $input) { __typename ... on AuthenticationPayload { accessToken refreshToken } ... on EmailVerificationRequiredError { pendingAuthenticationToken } ... on MfaChallengeRequiredError { pendingAuthenticationToken authenticationChallengeId } } }';
const REFRESH = 'mutation Refresh($input: RefreshSessionInput!) { refreshSession(input: $input) { __typename ... on AuthenticationPayload { accessToken refreshToken } } }';
const ORG = 'query Org($id: ID!) { organization(id: $id) { name } }';

beforeAll(async () => {
  emulator = await startEmulator({ apiKey, rateLimits: false });
  cursorDir = mkdtempSync(join(tmpdir(), 'gateway-logs-'));
  const env = {
    LOG_LEVEL: 'debug',
    GATEWAY_SERVICE_TOKENS: serviceToken,
    WORKOS_WEBHOOK_SECRET: webhookSecret,
    GATEWAY_METRICS_TOKEN: metricsToken,
    GATEWAY_EVENTS_FOLLOW: 'true',
    GATEWAY_EVENTS_POLL_MS: '100',
    GATEWAY_EVENTS_CURSOR_FILE: join(cursorDir, 'cursor.json'),
  };
  ({ gateway, url } = await startGateway(emulator, env, { logStream: capture }));
  // The same upstream, but accepting only another issuer: every emulator token is from an unknown issuer.
  strict = await startGateway(emulator, { ...env, GATEWAY_EVENTS_FOLLOW: 'false', WORKOS_ISSUER: 'https://auth.example.test/' }, { logStream: capture });

  const org = [...emulator.store.organizations.values()][0];
  const alice = [...emulator.store.users.values()].find((u) => u.email === 'alice@acme.test')!;

  // Good and bad sign-ins, a refresh, and the pending steps of dave (email verification) and erin (MFA).
  const good = (await send(SIGN_IN, { input: { email: 'alice@acme.test', password: PASSWORD } })).body.data?.signInWithPassword as Record<string, string>;
  expect(good.__typename).toBe('AuthenticationPayload');
  keep(good.accessToken);
  keep(good.refreshToken);
  for (const wrong of ['Wrong-password-1', 'Wrong-password-2']) await send(SIGN_IN, { input: { email: 'bob@acme.test', password: keep(wrong) } });
  const refreshed = (await send(REFRESH, { input: { refreshToken: good.refreshToken } })).body.data?.refreshSession as Record<string, string>;
  keep(refreshed.accessToken);
  keep(refreshed.refreshToken);
  await send(REFRESH, { input: { refreshToken: good.refreshToken } }); // used twice: refused
  const dave = (await send(SIGN_IN, { input: { email: 'dave@acme.test', password: PASSWORD } })).body.data?.signInWithPassword as Record<string, string>;
  keep(dave.pendingAuthenticationToken);
  const erin = (await send(SIGN_IN, { input: { email: 'erin@acme.test', password: PASSWORD } })).body.data?.signInWithPassword as Record<string, string>;
  keep(erin.pendingAuthenticationToken);
  await send(
    'mutation Totp($input: SignInWithTotpInput!) { signInWithTotp(input: $input) { __typename } }',
    { input: { pendingAuthenticationToken: erin.pendingAuthenticationToken, authenticationChallengeId: erin.authenticationChallengeId, code: keep('000111') } },
  );
  await send('mutation Verify($input: VerifyEmailInput!) { verifyEmail(input: $input) { __typename } }', { input: { pendingAuthenticationToken: dave.pendingAuthenticationToken, code: keep('222333') } });
  await send('mutation Magic($input: SignInWithMagicAuthInput!) { signInWithMagicAuth(input: $input) { __typename } }', { input: { email: 'bob@acme.test', code: keep('444555') } });
  await send('mutation Code($input: SignInWithCodeInput!) { signInWithCode(input: $input) { __typename } }', { input: { code: keep('01HAUTHORIZATIONCODEFORGED') } });
  // A literal password in the document itself.
  await send(`mutation { signInWithPassword(input: { email: "bob@acme.test", password: "${keep('Literal-secret-in-document')}" }) { __typename } }`);

  // Malformed variables: graphql-js echoes the value it could not coerce.
  await send(SIGN_IN, { input: { email: 'alice@acme.test', password: 98765432123 } });
  secrets.add('98765432123');
  await send(SIGN_IN, { input: { email: 'alice@acme.test', password: { nested: keep('Secret-inside-an-object') } } });
  await send(SIGN_IN, { input: { email: 'alice@acme.test', password: [keep('Secret-inside-a-list')] } });
  await send('mutation($password: String!) { signInWithPassword(input: { email: "alice@acme.test", password: $password }) { __typename } }', { password: { x: keep('Secret-as-a-whole-variable') } });
  await send(REFRESH, { input: { refreshToken: 31415926535 } });
  secrets.add('31415926535');
  await send(REFRESH, { input: { refreshToken: { token: keep(refreshed.refreshToken) } } });

  // Forged, expired, unknown-key and unknown-issuer tokens; a token that is no JWT; a malformed header.
  const { privateKey } = await generateKeyPair('RS256');
  const kid = emulator.jwks().keys[0].kid;
  const forged = keep(await new SignJWT({ sid: 'session_x' }).setProtectedHeader({ alg: 'RS256', kid }).setIssuer(emulator.accessTokenIssuer()).setSubject(alice.id).setIssuedAt().setExpirationTime('5m').sign(privateKey));
  const unknownKey = keep(await new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'key_unknown' }).setIssuer(emulator.accessTokenIssuer()).setSubject(alice.id).setIssuedAt().setExpirationTime('5m').sign(privateKey));
  const expired = keep(await emulator.issueAccessToken({ userId: alice.id, ttlSeconds: -300 }));
  for (const token of [forged, unknownKey, expired, keep('not-a-jwt-but-long-enough-to-matter')]) await send(ORG, { id: org.id }, token);
  await send(ORG, { id: org.id }, keep(good.accessToken), strict.url);
  await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Basic ${keep(Buffer.from(`alice:${PASSWORD}`).toString('base64'))}` }, body: '{"query":"{ __typename }"}' });

  // Upstream failures: a 500, a 429 (a pause), a follower poll that fails.
  emulator.faults.add({ method: 'GET', path: '/organizations/:id', status: 500, times: 4 });
  await send(ORG, { id: org.id }, serviceToken);
  emulator.faults.add({ method: 'GET', path: '/organizations/:id', status: 429, retryAfter: 1, times: 1 });
  await send(ORG, { id: org.id }, serviceToken);
  emulator.faults.add({ method: 'GET', path: '/events', status: 400, times: 1 });
  await waitFor(() => lines.some((l) => l.includes('"follower_error"')), 10_000, 'a follower error line');

  // Webhooks: bad signature, good one; a request id sent by the caller, and one that is not safe to echo.
  const event = JSON.stringify({ id: 'event_logs_1', event: 'organization.updated', data: { object: 'organization', id: org.id, name: org.name, domains: [] }, created_at: new Date().toISOString() });
  await fetch(webhookUrl(url), { method: 'POST', headers: { 'workos-signature': signWebhook('whsec_wrong', event, Date.now()) }, body: event });
  await fetch(webhookUrl(url), { method: 'POST', headers: { 'workos-signature': signWebhook(webhookSecret, event, Date.now()) }, body: event });
  await fetch(new URL('/metrics', url), { headers: { authorization: `Bearer ${metricsToken}` } });
  await sleep(100);
}, 60_000);

afterAll(async () => {
  await gateway?.close();
  await strict?.gateway.close();
  await emulator?.close();
  rmSync(cursorDir, { recursive: true, force: true });
});

describe('structured logs', () => {
  it('contain no credential, token, password, code or secret the run used', () => {
    expect(lines.length).toBeGreaterThan(40);
    const all = lines.join('\n');
    const leaked = [...secrets].filter((s) => all.includes(s) || all.includes(JSON.stringify(s).slice(1, -1)));
    expect(leaked).toEqual([]);
    expect(all).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./);
  });

  it('keep coerced credential values out of responses too, while saying which variable was wrong', () => {
    const all = JSON.stringify(responses);
    for (const s of ['98765432123', '31415926535', 'Secret-inside-an-object', 'Secret-inside-a-list', 'Secret-as-a-whole-variable']) expect(all).not.toContain(s);
    const messages = responses.flatMap((r) => (r.errors ?? []).map((e) => e.message)).filter((m) => m.startsWith('Variable "$'));
    expect(messages).toContain('Variable "$input" got invalid value [redacted] at "input.password".');
    expect(messages).toContain('Variable "$password" got invalid value [redacted].');
  });

  it('write one JSON line per request: operation, caller kind, tenant hash, duration, upstream calls, outcome', () => {
    const requests = entries().filter((e) => e.event === 'request');
    const signIn = requests.find((e) => e.operation === 'SignIn' && e.outcome === 'ok')!;
    expect(signIn).toMatchObject({ level: 'info', operationType: 'mutation', caller: 'anonymous', status: 200, upstreamCalls: 1 });
    expect(typeof signIn.durationMs).toBe('number');
    expect(typeof signIn.requestId).toBe('string');
    const service = requests.find((e) => e.operation === 'Org' && e.caller === 'service')!;
    expect(service.tenant).toMatch(/^[A-Za-z0-9_-]{12}$/);
    const refused = requests.filter((e) => e.outcome === 'UNAUTHENTICATED');
    expect(refused.length).toBeGreaterThanOrEqual(6);
    expect(refused.every((e) => e.caller === 'refused' && e.status === 401)).toBe(true);
    const failed = requests.find((e) => e.operation === 'Org' && e.outcome !== 'ok' && e.outcome !== 'UNAUTHENTICATED')!;
    expect(failed.upstreamCalls).toBe(4);
  });

  it('say why a token was refused, at warn, without the token', () => {
    const refusals = entries().filter((e) => e.event === 'token_refused');
    expect(refusals.every((e) => e.level === 'warn')).toBe(true);
    expect(refusals.map((e) => e.reason)).toEqual(expect.arrayContaining(['bad_signature', 'unknown_key', 'expired', 'not_a_jwt', 'unknown_issuer', 'malformed_header']));
    const issuer = refusals.find((e) => e.reason === 'unknown_issuer')!;
    expect(issuer.issuer).toBe(emulator.accessTokenIssuer());
    expect(issuer.msg).toContain('WORKOS_ISSUER');
  });

  it('log 429 pauses, sign-in refusals and follower errors as events of their own', () => {
    const events = entries();
    expect(events.find((e) => e.event === 'rate_limit_pause')).toMatchObject({ level: 'warn', limit: 'general', route: 'GET /organizations/:id', waitMs: 1000 });
    expect(events.filter((e) => e.event === 'sign_in_refused').map((e) => e.reason)).toContain('invalid_credentials');
    expect(events.find((e) => e.event === 'follower_error')).toMatchObject({ level: 'error' });
  });

  it('echo a safe request id the caller sent, and replace one that is not', async () => {
    const mine = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'abc-123.trace:1' }, body: '{"query":"{ __typename }"}' });
    expect(mine.headers.get('x-request-id')).toBe('abc-123.trace:1');
    const unsafe = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'a b"<script>' }, body: '{"query":"{ __typename }"}' });
    expect(unsafe.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    await sleep(50);
    expect(entries().some((e) => e.event === 'request' && e.requestId === 'abc-123.trace:1')).toBe(true);
  });
});
