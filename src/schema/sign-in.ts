import type { AuthenticationResponse } from '@workos-inc/node';
import { decodeJwt } from 'jose';
import { z } from 'zod';
import {
  EmailVerificationRequiredError,
  InvalidCredentialsError,
  MfaChallengeRequiredError,
  MfaEnrollmentRequiredError,
  OrganizationSelectionRequiredError,
  SsoRequiredError,
  TooManyAttemptsError,
  type AuthenticationFactorSummary,
} from '../errors/sign-in.ts';
import { VISIBLE_USER } from './auth-scopes.ts';
import { IN_HAND, WRITE, cost } from './cost.ts';
import { builder } from './builder.ts';
import { MutationErrorInterface, ValidationError } from './errors.ts';
import { UserRef } from './refs.ts';
import { email, idOf } from './validators.ts';

export const AuthenticationPayload = builder.objectRef<AuthenticationResponse>('AuthenticationPayload').implement({
  description:
    'A signed-in session. With cookie sessions (GATEWAY_COOKIE_SESSIONS) the session is in the HttpOnly ' +
    '`wos-session` cookie this response sets, and the tokens are null. Otherwise send `accessToken` as ' +
    '`Authorization: Bearer <accessToken>`; before it expires, trade `refreshToken` for new tokens with ' +
    'refreshSession (each refresh token works once).',
  fields: (t) => ({
    user: t.field({
      ...IN_HAND,
      type: UserRef,
      description: 'Who signed in. Their memberships and organizations: ask `viewer` with the new token.',
      grantScopes: [VISIBLE_USER],
      resolve: (r) => r.user,
    }),
    organizationId: t.id({ nullable: true, description: 'The organization of the session, if any.', resolve: (r) => r.organizationId ?? null }),
    cookieSession: t.boolean({
      description: 'True when the session is in the HttpOnly cookie (cookie sessions): no token is in this payload.',
      resolve: (_r, _args, ctx) => ctx.session.cookieMode,
    }),
    accessToken: t.string({
      nullable: true,
      description: 'A short-lived JWT (minutes); null with cookie sessions.',
      resolve: (r, _args, ctx) => (ctx.session.cookieMode ? null : r.accessToken),
    }),
    refreshToken: t.string({
      nullable: true,
      description: 'Single use; keep it out of reach of scripts. Null with cookie sessions.',
      resolve: (r, _args, ctx) => (ctx.session.cookieMode ? null : r.refreshToken),
    }),
    accessTokenExpiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the access token expires.',
      resolve: (r) => {
        const { exp } = decodeJwt(r.accessToken);
        return typeof exp === 'number' ? new Date(exp * 1000) : null;
      },
    }),
    authenticationMethod: t.string({
      nullable: true,
      description: 'How the user proved who they are: Password, MagicAuth, SSO ...',
      resolve: (r) => r.authenticationMethod ?? null,
    }),
  }),
});

builder.objectType(InvalidCredentialsError, {
  name: 'InvalidCredentialsError',
  description: 'The email, password, code or token was not accepted (the message does not say which).',
  interfaces: [MutationErrorInterface],
  isTypeOf: (value) => value instanceof InvalidCredentialsError,
  fields: () => ({}),
});

builder.objectType(EmailVerificationRequiredError, {
  name: 'EmailVerificationRequiredError',
  description: 'The password was right; the email address must be verified: call verifyEmail with the code sent to it.',
  interfaces: [MutationErrorInterface],
  isTypeOf: (value) => value instanceof EmailVerificationRequiredError,
  fields: (t) => ({
    pendingAuthenticationToken: t.exposeString('pendingAuthenticationToken', { description: 'Pass it to verifyEmail.' }),
    email: t.exposeString('email', { nullable: true, description: 'Where the code was sent.' }),
  }),
});

export const AuthenticationFactorRef = builder.objectRef<AuthenticationFactorSummary>('AuthenticationFactor').implement({
  description: 'A second factor the user has enrolled.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The factor’s WorkOS id.' }),
    type: t.exposeString('type', { description: 'e.g. totp.' }),
  }),
});

builder.objectType(MfaChallengeRequiredError, {
  name: 'MfaChallengeRequiredError',
  description: 'The first step was right; now the code from the authenticator app: call signInWithTotp.',
  interfaces: [MutationErrorInterface],
  isTypeOf: (value) => value instanceof MfaChallengeRequiredError,
  fields: (t) => ({
    pendingAuthenticationToken: t.exposeString('pendingAuthenticationToken', { description: 'Pass it to signInWithTotp.' }),
    authenticationChallengeId: t.exposeString('authenticationChallengeId', {
      nullable: true,
      description: 'The challenge the gateway opened on the user’s TOTP factor; pass it to signInWithTotp.',
    }),
    factors: t.field({ type: [AuthenticationFactorRef], description: 'The user’s enrolled factors.', resolve: (e) => e.factors }),
  }),
});

builder.objectType(TooManyAttemptsError, {
  name: 'TooManyAttemptsError',
  description:
    'Too many attempts from this address or for this account, or WorkOS’ rate limit for it is reached; nothing was checked or sent.',
  interfaces: [MutationErrorInterface],
  isTypeOf: (value) => value instanceof TooManyAttemptsError,
  fields: (t) => ({ retryAfterSeconds: t.exposeInt('retryAfterSeconds', { description: 'Wait this long before trying again.' }) }),
});

const MagicAuthCodeSentPayload = builder.objectRef<{ email: string; expiresAt: string }>('SendMagicAuthCodePayload').implement({
  description: 'A one-time code is on its way to the inbox; sign in with it through signInWithMagicAuth.',
  fields: (t) => ({
    email: t.exposeString('email', { description: 'Where the code was sent.' }),
    expiresAt: t.field({ type: 'DateTime', description: 'When the code expires.', resolve: (p) => p.expiresAt }),
  }),
});

// Bounded so an oversized value is refused before any limit or upstream call is spent on it.
const secret = z.string().min(1).max(4096);
const oneTimeCode = z.string().trim().regex(/^[A-Za-z0-9_-]{1,256}$/, { message: 'Expected the code as received.' });
const password = z.string().min(1).max(256);

// Every sign-in answers with the same set of results, so one fragment serves a whole sign-in form
// (the further steps' types are in sign-in-steps.ts).
export const outcomes = {
  types: [
    InvalidCredentialsError,
    TooManyAttemptsError,
    ValidationError,
    EmailVerificationRequiredError,
    MfaChallengeRequiredError,
    OrganizationSelectionRequiredError,
    SsoRequiredError,
    MfaEnrollmentRequiredError,
  ],
  directResult: true,
};
// Sign-in is for callers without a token: these skip the Mutation type's signedIn scope.
const open = { skipTypeScopes: true } as const;

builder.mutationFields((t) => ({
  signInWithPassword: t.fieldWithInput({
    ...cost({ calls: 3 }),
    ...open,
    description: 'Signs in with email and password. May answer with a further step (email verification, MFA).',
    type: AuthenticationPayload,
    errors: outcomes,
    input: { email: t.input.string({ required: true, validate: email }), password: t.input.string({ required: true, validate: password }) },
    resolve: (_root, { input }, ctx) => ctx.signIn.withPassword(input.email, input.password),
  }),
  signInWithCode: t.fieldWithInput({
    ...cost({ calls: 3 }),
    ...open,
    description: 'Completes a hosted AuthKit sign-in: trades the `code` of the redirect (and the PKCE verifier, if used) for a session.',
    type: AuthenticationPayload,
    errors: outcomes,
    input: {
      code: t.input.string({ required: true, validate: secret }),
      codeVerifier: t.input.string({ required: false, validate: secret.nullish() }),
    },
    resolve: (_root, { input }, ctx) => ctx.signIn.withCode(input.code, input.codeVerifier ?? undefined),
  }),
  signInWithMagicAuth: t.fieldWithInput({
    ...cost({ calls: 3 }),
    ...open,
    description: 'Signs in with the one-time code sendMagicAuthCode emailed.',
    type: AuthenticationPayload,
    errors: outcomes,
    input: { email: t.input.string({ required: true, validate: email }), code: t.input.string({ required: true, validate: oneTimeCode }) },
    resolve: (_root, { input }, ctx) => ctx.signIn.withMagicAuth(input.email, input.code),
  }),
  verifyEmail: t.fieldWithInput({
    ...cost({ calls: 3 }),
    ...open,
    description: 'Finishes a sign-in that needed email verification, with the code sent to the address.',
    type: AuthenticationPayload,
    errors: outcomes,
    input: {
      pendingAuthenticationToken: t.input.string({ required: true, validate: secret }),
      code: t.input.string({ required: true, validate: oneTimeCode }),
    },
    resolve: (_root, { input }, ctx) => ctx.signIn.withEmailVerification(input.pendingAuthenticationToken, input.code),
  }),
  signInWithTotp: t.fieldWithInput({
    ...WRITE,
    ...open,
    description: 'Finishes a sign-in that needed MFA, with the authenticator app’s current code.',
    type: AuthenticationPayload,
    errors: outcomes,
    input: {
      pendingAuthenticationToken: t.input.string({ required: true, validate: secret }),
      authenticationChallengeId: t.input.string({ required: true, validate: secret }),
      code: t.input.string({ required: true, validate: oneTimeCode }),
    },
    resolve: (_root, { input }, ctx) => ctx.signIn.withTotp(input.pendingAuthenticationToken, input.authenticationChallengeId, input.code),
  }),
  refreshSession: t.fieldWithInput({
    ...WRITE,
    ...open,
    description:
      'Trades a refresh token for new tokens (with cookie sessions: the cookie’s, and a new cookie); ' +
      'pass organizationId to switch the session to another of your organizations.',
    type: AuthenticationPayload,
    errors: outcomes,
    input: {
      refreshToken: t.input.string({ required: false, validate: secret.nullish(), description: 'Leave out with cookie sessions.' }),
      organizationId: t.input.id({ required: false, validate: idOf('Organization').nullish() }),
    },
    resolve: async (_root, { input }, ctx) => {
      const refreshToken = input.refreshToken ?? ctx.session.current?.refreshToken;
      if (!refreshToken) throw new InvalidCredentialsError('No session to refresh: pass refreshToken, or sign in first.');
      const organizationId = input.organizationId ? String(input.organizationId) : undefined;
      return ctx.signIn.withRefreshToken(refreshToken, organizationId);
    },
  }),
  sendMagicAuthCode: t.fieldWithInput({
    ...WRITE,
    ...open,
    description: 'Emails a one-time sign-in code (new addresses get an account when they first sign in with it).',
    type: MagicAuthCodeSentPayload,
    errors: { types: [TooManyAttemptsError, ValidationError], directResult: true },
    input: { email: t.input.string({ required: true, validate: email }) },
    resolve: (_root, { input }, ctx) => ctx.signIn.sendMagicAuthCode(input.email),
  }),
}));
