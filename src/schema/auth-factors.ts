import type { AuthenticationFactor } from '@workos-inc/node';
import { z } from 'zod';
import type { AuthenticationFactorSummary } from '../errors/sign-in.ts';
import { serviceOnly } from './auth-scopes.ts';
import { PAGED, WRITE, cost } from './cost.ts';
import { builder } from './builder.ts';
import { resolveConnection } from './connection.ts';
import { orderArgs } from './list-order.ts';
import { DeletePayload, deleteErrors, writeErrors } from './payloads.ts';
import { UserRef } from './refs.ts';
import { AuthenticationFactorRef } from './sign-in.ts';
import { idOf, workosIdOf } from './validators.ts';

builder.objectFields(AuthenticationFactorRef, (t) => ({
  createdAt: t.field({ type: 'DateTime', nullable: true, description: 'When it was enrolled (known in User.authFactors).', resolve: (f) => f.createdAt ?? null }),
  totpIssuer: t.string({ nullable: true, description: 'The issuer the authenticator app shows.', resolve: (f) => f.totp?.issuer ?? null }),
  totpUser: t.string({ nullable: true, description: 'The account name the authenticator app shows.', resolve: (f) => f.totp?.user ?? null }),
}));

const AuthenticationFactorConnection = builder.connectionObject(
  { type: AuthenticationFactorRef, name: 'AuthenticationFactorConnection', description: 'A page of a user’s MFA factors, newest first unless ordered otherwise.' },
  { name: 'AuthenticationFactorEdge' },
);

const summary = (f: AuthenticationFactor): AuthenticationFactorSummary & { id: string } => ({
  id: f.id,
  type: f.type,
  createdAt: f.createdAt,
  totp: f.totp ? { issuer: f.totp.issuer, user: f.totp.user } : undefined,
});

builder.objectFields(UserRef, (t) => ({
  authFactors: t.field({
    ...PAGED,
    type: AuthenticationFactorConnection,
    nullable: true,
    description: 'The user’s MFA factors (without secrets): for the user themselves, or a service.',
    authScopes: (u) => ({ service: true, self: u.id }),
    args: { ...t.arg.connectionArgs(), ...orderArgs },
    resolve: (u, args, ctx) =>
      resolveConnection(args, ctx, async (p) => {
        const page = await ctx.admin.loaders.listAuthFactors({ ...p, userId: u.id });
        return { data: page.data.map(summary), listMetadata: page.listMetadata };
      }),
  }),
}));

const EnrollTotpFactorPayload = builder
  .objectRef<{ factor: AuthenticationFactorSummary; challengeId: string; secret: string; uri: string; qrCode: string }>('EnrollTotpFactorPayload')
  .implement({
    description:
      'A TOTP factor is enrolled: show the QR code (or the secret) once, for the authenticator app. From the next sign-in on, ' +
      'signing in asks for its code. The secret comes back to the enrolling user only and is never logged.',
    fields: (t) => ({
      authenticationFactor: t.field({ type: AuthenticationFactorRef, description: 'The new factor.', resolve: (p) => p.factor }),
      authenticationChallengeId: t.exposeString('challengeId', { description: 'A challenge opened on it, to check a first code if the app wants to.' }),
      secret: t.exposeString('secret', { description: 'The Base32 secret, for typing into the app.' }),
      uri: t.exposeString('uri', { description: 'The otpauth:// URI.' }),
      qrCode: t.exposeString('qrCode', { description: 'A data: URL of the QR code of that URI.' }),
    }),
  });

const label = z.string().trim().min(1).max(100);

builder.mutationFields((t) => ({
  enrollTotpFactor: t.fieldWithInput({
    ...WRITE,
    description: 'Adds an authenticator app (TOTP) as a second factor of the signed-in user (a service names the user).',
    type: EnrollTotpFactorPayload,
    errors: writeErrors(),
    authScopes: (_root, { input }, ctx) => {
      const userId = input.userId ? String(input.userId) : ctx.caller.kind === 'user' ? ctx.caller.userId : undefined;
      return userId ? { service: true, self: userId } : serviceOnly;
    },
    input: {
      userId: t.input.id({ required: false, validate: idOf('User').nullish(), description: 'Default: the signed-in user. Someone else: service callers.' }),
      issuer: t.input.string({ required: false, validate: label.nullish(), description: 'The issuer the app shows (e.g. your product name).' }),
      userLabel: t.input.string({ required: false, validate: label.nullish(), description: 'The account name the app shows (default: the email).' }),
    },
    resolve: async (_root, { input }, ctx) => {
      const userId = input.userId ? String(input.userId) : ctx.caller.kind === 'user' ? ctx.caller.userId : '';
      const { factor, challenge } = await ctx.admin.writes.enrollTotpFactor(userId, { issuer: input.issuer ?? undefined, user: input.userLabel ?? undefined });
      return {
        factor: { id: factor.id, type: factor.type, createdAt: factor.createdAt, totp: { issuer: factor.totp.issuer, user: factor.totp.user } },
        challengeId: challenge.id,
        secret: factor.totp.secret,
        uri: factor.totp.uri,
        qrCode: factor.totp.qrCode,
      };
    },
  }),
  deleteAuthFactor: t.fieldWithInput({
    ...cost({ calls: 2 }),
    description: 'Removes one of the signed-in user’s MFA factors (any, for a service).',
    type: DeletePayload,
    errors: deleteErrors(),
    authScopes: async (_root, { input }, ctx) => ((await ctx.admin.access.ownsAuthFactor(input.id)) ? true : serviceOnly),
    input: { id: t.input.string({ required: true, validate: workosIdOf('auth_factor_', 'an authentication factor'), description: 'The factor (auth_factor_...).' }) },
    resolve: async (_root, { input }, ctx) => {
      await ctx.admin.writes.deleteAuthFactor(input.id);
      return { deletedId: input.id };
    },
  }),
}));
