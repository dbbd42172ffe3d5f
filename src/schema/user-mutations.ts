import type { User } from '@workos-inc/node';
import { z } from 'zod';
import { TooManyAttemptsError } from '../errors/sign-in.ts';
import { serviceOnly, VISIBLE_USER } from './auth-scopes.ts';
import { WRITE } from './cost.ts';
import { builder } from './builder.ts';
import { DeletePayload, deleteErrors, writeErrors } from './payloads.ts';
import { UserRef } from './refs.ts';
import { email, externalId, idOf, metadata } from './validators.ts';

const UserPayload = builder.objectRef<{ user: User }>('UserPayload').implement({
  description: 'The user as they are after the change.',
  // The mutation was allowed on this user, so its result may be read.
  fields: (t) => ({ user: t.field({ type: UserRef, grantScopes: [VISIBLE_USER], resolve: (p) => p.user }) }),
});

const PasswordResetPayload = builder
  .objectRef<{ email: string; expiresAt: string }>('SendPasswordResetPayload')
  .implement({
    description: 'A password reset email is on its way (the reset token itself goes only to the inbox).',
    fields: (t) => ({
      email: t.exposeString('email', { description: 'Where the email was sent.' }),
      expiresAt: t.field({ type: 'DateTime', description: 'When the reset link expires.', resolve: (p) => p.expiresAt }),
    }),
  });

const password = z.string().min(8, { message: 'Passwords have at least 8 characters.' }).max(256);
const name = z.string().trim().max(255);

/** What a user may change about themselves: their name and locale (not email, password or flags). */
const PROFILE_FIELDS = new Set(['id', 'firstName', 'lastName', 'locale']);
const onlyProfile = (input: Record<string, unknown>) =>
  Object.entries(input).every(([key, value]) => PROFILE_FIELDS.has(key) || value === undefined || value === null);

builder.mutationFields((t) => ({
  createUser: t.fieldWithInput({
    ...WRITE,
    description: 'Creates a user (service callers).',
    type: UserPayload,
    errors: writeErrors(),
    authScopes: serviceOnly,
    input: {
      email: t.input.string({ required: true, validate: email }),
      password: t.input.string({ required: false, validate: password.nullish(), description: 'Optional initial password.' }),
      firstName: t.input.string({ required: false, validate: name.nullish() }),
      lastName: t.input.string({ required: false, validate: name.nullish() }),
      emailVerified: t.input.boolean({ required: false, description: 'Mark the email as already verified.' }),
      externalId: t.input.string({ required: false, validate: externalId.nullish() }),
      metadata: t.input.field({ type: 'JSON', required: false, validate: metadata.nullish() }),
    },
    resolve: async (_root, { input }, ctx) => ({
      user: await ctx.writes.createUser({
        email: input.email,
        password: input.password ?? undefined,
        firstName: input.firstName ?? undefined,
        lastName: input.lastName ?? undefined,
        emailVerified: input.emailVerified ?? undefined,
        externalId: input.externalId ?? undefined,
        metadata: (input.metadata as Record<string, string> | null) ?? undefined,
      }),
    }),
  }),
  updateUser: t.fieldWithInput({
    ...WRITE,
    description:
      'Changes a user; fields left out stay as they are. A signed-in user may change their own name and locale; ' +
      'everything else needs a service caller.',
    type: UserPayload,
    errors: writeErrors(),
    authScopes: (_root, { input }) => (onlyProfile(input) ? { service: true, self: String(input.id) } : serviceOnly),
    input: {
      id: t.input.id({ required: true, validate: idOf('User') }),
      email: t.input.string({ required: false, validate: email.nullish() }),
      firstName: t.input.string({ required: false, validate: name.nullish() }),
      lastName: t.input.string({ required: false, validate: name.nullish() }),
      emailVerified: t.input.boolean({ required: false }),
      password: t.input.string({ required: false, validate: password.nullish() }),
      externalId: t.input.string({ required: false, validate: externalId.nullish() }),
      locale: t.input.string({ required: false, validate: z.string().max(35).nullish() }),
      metadata: t.input.field({ type: 'JSON', required: false, validate: metadata.nullish() }),
    },
    resolve: async (_root, { input }, ctx) => ({
      user: await ctx.writes.updateUser({
        userId: String(input.id),
        email: input.email ?? undefined,
        firstName: input.firstName ?? undefined,
        lastName: input.lastName ?? undefined,
        emailVerified: input.emailVerified ?? undefined,
        password: input.password ?? undefined,
        externalId: input.externalId ?? undefined,
        locale: input.locale ?? undefined,
        metadata: (input.metadata as Record<string, string> | null) ?? undefined,
      }),
    }),
  }),
  deleteUser: t.fieldWithInput({
    ...WRITE,
    description: 'Deletes a user (and their memberships). Service callers.',
    type: DeletePayload,
    errors: deleteErrors(),
    authScopes: serviceOnly,
    input: { id: t.input.id({ required: true, validate: idOf('User') }) },
    resolve: async (_root, { input }, ctx) => {
      await ctx.writes.deleteUser(String(input.id));
      return { deletedId: String(input.id) };
    },
  }),
  sendPasswordReset: t.fieldWithInput({
    ...WRITE,
    description: 'Emails the user a password reset link (at most 3 per email per minute, as WorkOS). Service callers.',
    type: PasswordResetPayload,
    errors: { types: [...writeErrors().types, TooManyAttemptsError], directResult: true },
    authScopes: serviceOnly,
    input: { email: t.input.string({ required: true, validate: email }) },
    resolve: async (_root, { input }, ctx) => {
      const reset = await ctx.writes.sendPasswordReset(input.email);
      return { email: input.email, expiresAt: reset.expiresAt };
    },
  }),
}));
