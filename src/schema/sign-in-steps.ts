import type { User } from '@workos-inc/node';
import { z } from 'zod';
import {
  InvalidCredentialsError,
  MfaEnrollmentRequiredError,
  OrganizationSelectionRequiredError,
  SsoRequiredError,
  TooManyAttemptsError,
  type EnrolledTotp,
  type SignInOrganization,
} from '../errors/sign-in.ts';
import { VISIBLE_USER } from './auth-scopes.ts';
import { WRITE, cost } from './cost.ts';
import { builder } from './builder.ts';
import { MutationErrorInterface, ValidationError } from './errors.ts';
import { UserRef } from './refs.ts';
import { AuthenticationPayload, outcomes } from './sign-in.ts';
import { codeChallenge, idOf, redirectUrl } from './validators.ts';

// ---- the further steps a sign-in may answer with ----

const SignInOrganizationRef = builder.objectRef<SignInOrganization>('SignInOrganization').implement({
  description: 'An organization the signing-in user may choose.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Pass it to signInWithOrganizationSelection.' }),
    name: t.exposeString('name', { description: 'Its name, for the chooser.' }),
  }),
});

builder.objectType(OrganizationSelectionRequiredError, {
  name: 'OrganizationSelectionRequiredError',
  description: 'The user is a member of several organizations: let them choose one, then call signInWithOrganizationSelection.',
  interfaces: [MutationErrorInterface],
  isTypeOf: (value) => value instanceof OrganizationSelectionRequiredError,
  fields: (t) => ({
    pendingAuthenticationToken: t.exposeString('pendingAuthenticationToken', { description: 'Pass it to signInWithOrganizationSelection.' }),
    organizations: t.field({ type: [SignInOrganizationRef], description: 'The organizations to choose from.', resolve: (e) => e.organizations }),
  }),
});

builder.objectType(SsoRequiredError, {
  name: 'SsoRequiredError',
  description: 'The user’s organization requires SSO: start a hosted sign-in with authorizationUrl(connectionId: one of connectionIds).',
  interfaces: [MutationErrorInterface],
  isTypeOf: (value) => value instanceof SsoRequiredError,
  fields: (t) => ({
    email: t.exposeString('email', { nullable: true, description: 'The email that must sign in through SSO (a login hint).' }),
    connectionIds: t.exposeIDList('connectionIds', { description: 'The SSO connections to sign in through.' }),
  }),
});

const EnrolledTotpRef = builder.objectRef<EnrolledTotp>('EnrolledTotp').implement({
  description: 'The authenticator app factor the gateway enrolled for this sign-in: show the QR code (or secret) once.',
  fields: (t) => ({
    authenticationFactorId: t.exposeString('authenticationFactorId', { description: 'The new factor’s WorkOS id.' }),
    authenticationChallengeId: t.exposeString('authenticationChallengeId', { description: 'Pass it to signInWithTotp.' }),
    secret: t.exposeString('secret', { description: 'The Base32 secret, for typing into the app.' }),
    uri: t.exposeString('uri', { description: 'The otpauth:// URI.' }),
    qrCode: t.exposeString('qrCode', { description: 'A data: URL of the QR code of that URI.' }),
  }),
});

builder.objectType(MfaEnrollmentRequiredError, {
  name: 'MfaEnrollmentRequiredError',
  description:
    'The user’s organization requires MFA and the user has no factor yet: the gateway enrolled an authenticator app ' +
    'factor; show `totp.qrCode`, then call signInWithTotp with its code and `totp.authenticationChallengeId`.',
  interfaces: [MutationErrorInterface],
  isTypeOf: (value) => value instanceof MfaEnrollmentRequiredError,
  fields: (t) => ({
    pendingAuthenticationToken: t.exposeString('pendingAuthenticationToken', { description: 'Pass it to signInWithTotp.' }),
    totp: t.field({ type: EnrolledTotpRef, description: 'The factor to add to the authenticator app.', resolve: (e) => e.totp }),
  }),
});

// ---- mutations and the authorization URL ----

const open = { skipTypeScopes: true } as const;
const secret = z.string().min(1).max(4096);

const ResetPasswordPayload = builder.objectRef<{ user: User }>('ResetPasswordPayload').implement({
  description: 'The password is changed; sign in with it (the reset link no longer works).',
  fields: (t) => ({ user: t.field({ type: UserRef, description: 'Whose password it is.', grantScopes: [VISIBLE_USER], resolve: (p) => p.user }) }),
});

builder.mutationFields((t) => ({
  signInWithOrganizationSelection: t.fieldWithInput({
    ...cost({ calls: 3 }),
    ...open,
    description: 'Finishes a sign-in that answered OrganizationSelectionRequiredError, in the organization the user chose.',
    type: AuthenticationPayload,
    errors: outcomes,
    input: {
      pendingAuthenticationToken: t.input.string({ required: true, validate: secret, description: 'From OrganizationSelectionRequiredError.' }),
      organizationId: t.input.id({ required: true, validate: idOf('Organization'), description: 'One of its organizations.' }),
    },
    resolve: (_root, { input }, ctx) => ctx.signIn.withOrganizationSelection(input.pendingAuthenticationToken, String(input.organizationId)),
  }),
  resetPassword: t.fieldWithInput({
    ...WRITE,
    ...open,
    description: 'Sets a new password with the token of a password reset email (sendPasswordReset). Limited like sign-in.',
    type: ResetPasswordPayload,
    errors: { types: [InvalidCredentialsError, TooManyAttemptsError, ValidationError], directResult: true },
    input: {
      token: t.input.string({ required: true, validate: secret, description: 'The token of the reset link.' }),
      newPassword: t.input.string({
        required: true,
        validate: z.string().min(8, { message: 'Passwords have at least 8 characters.' }).max(256),
        description: 'The new password (WorkOS may ask for more than 8 characters).',
      }),
    },
    resolve: async (_root, { input }, ctx) => ({ user: await ctx.signIn.resetPassword(input.token, input.newPassword) }),
  }),
}));

const ProviderEnum = builder.enumType('AuthorizationProvider', {
  description: 'Where a hosted sign-in happens.',
  values: {
    AUTHKIT: { value: 'authkit', description: 'The hosted AuthKit page (every method the environment allows).' },
    APPLE_OAUTH: { value: 'AppleOAuth', description: 'Sign in with Apple.' },
    GITHUB_OAUTH: { value: 'GitHubOAuth', description: 'GitHub.' },
    GITLAB_OAUTH: { value: 'GitLabOAuth', description: 'GitLab.' },
    GOOGLE_OAUTH: { value: 'GoogleOAuth', description: 'Google.' },
    LINKEDIN_OAUTH: { value: 'LinkedInOAuth', description: 'LinkedIn.' },
    MICROSOFT_OAUTH: { value: 'MicrosoftOAuth', description: 'Microsoft.' },
    SLACK_OAUTH: { value: 'SlackOAuth', description: 'Slack.' },
    BITBUCKET_OAUTH: { value: 'BitbucketOAuth', description: 'Bitbucket.' },
    SALESFORCE_OAUTH: { value: 'SalesforceOAuth', description: 'Salesforce.' },
    XERO_OAUTH: { value: 'XeroOAuth', description: 'Xero.' },
    INTUIT_OAUTH: { value: 'IntuitOAuth', description: 'Intuit.' },
    VERCEL_OAUTH: { value: 'VercelOAuth', description: 'Vercel.' },
    VERCEL_MARKETPLACE_OAUTH: { value: 'VercelMarketplaceOAuth', description: 'Vercel Marketplace.' },
  } as const,
});

builder.queryField('authorizationUrl', (t) =>
  t.fieldWithInput({
    ...open,
    description:
      'The URL to send the browser to for a hosted sign-in: AuthKit or an OAuth provider (`provider`), an SSO connection ' +
      '(`connectionId`), or an organization’s SSO (`organizationId`) — exactly one. WorkOS redirects back to `redirectUri` ' +
      'with `code` (and `state`): finish with signInWithCode. With `codeChallenge` (PKCE, S256) signInWithCode needs the ' +
      'verifier. Built by the gateway: no WorkOS call, no token needed.',
    type: 'String',
    input: {
      provider: t.input.field({ type: ProviderEnum, required: false, description: 'AuthKit or an OAuth provider.' }),
      connectionId: t.input.id({ required: false, validate: idOf('SsoConnection').nullish(), description: 'An SSO connection (e.g. from SsoRequiredError).' }),
      organizationId: t.input.id({ required: false, validate: idOf('Organization').nullish(), description: 'Sign in through the organization’s SSO.' }),
      redirectUri: t.input.string({ required: true, validate: redirectUrl, description: 'One of the redirect URIs configured at WorkOS.' }),
      state: t.input.string({ required: false, validate: z.string().max(2048).nullish(), description: 'Comes back unchanged with the code (against CSRF).' }),
      codeChallenge: t.input.string({ required: false, validate: codeChallenge.nullish(), description: 'PKCE: base64url(SHA-256(verifier)).' }),
      loginHint: t.input.string({ required: false, validate: z.string().max(320).nullish(), description: 'Pre-fills the email.' }),
    },
    // Loose objects: a strict schema here would strip the other arguments.
    validate: z
      .looseObject({ input: z.looseObject({ provider: z.unknown().optional(), connectionId: z.unknown().optional(), organizationId: z.unknown().optional() }) })
      .refine((args) => [args.input.provider, args.input.connectionId, args.input.organizationId].filter((v) => v != null).length === 1, {
        message: 'Pass exactly one of provider, connectionId or organizationId.',
      }),
    resolve: (_root, { input }, ctx) =>
      ctx.signIn.authorizationUrl({
        provider: input.provider ?? undefined,
        connectionId: input.connectionId ? String(input.connectionId) : undefined,
        organizationId: input.organizationId ? String(input.organizationId) : undefined,
        redirectUri: input.redirectUri,
        state: input.state ?? undefined,
        codeChallenge: input.codeChallenge ?? undefined,
        loginHint: input.loginHint ?? undefined,
      }),
  }),
);
