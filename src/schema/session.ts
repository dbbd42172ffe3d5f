import { z } from 'zod';
import { builder } from './builder.ts';
import { WRITE } from './cost.ts';
import { planField } from './plan.ts';
import { codeChallenge } from './validators.ts';

/**
 * The session's start and end outside the sign-in mutations: where hosted AuthKit begins, and
 * signing out (which works with a bearer token and with the session cookie alike).
 */

const ScreenHintEnum = builder.enumType('AuthKitScreenHint', {
  description: 'Which hosted AuthKit screen to open.',
  values: {
    SIGN_IN: { value: 'sign-in', description: 'The sign-in screen.' },
    SIGN_UP: { value: 'sign-up', description: 'The sign-up screen.' },
  } as const,
});

const SignOutPayload = builder.objectRef<{ sessionId: string | null }>('SignOutPayload').implement({
  description: 'The session has ended: its refresh token no longer works, and the gateway refuses its access tokens.',
  fields: (t) => ({
    sessionId: t.id({
      nullable: true,
      description: 'The AuthKit session that was revoked (null when the request had no session).',
      resolve: (p) => p.sessionId,
    }),
  }),
});

const redirectUri = z.url({ protocol: /^https?$/, message: 'Expected the http(s) URL AuthKit redirects back to.' }).max(2048);

// Both work without a signed-in caller: they skip the root types' signedIn scope.
const open = { skipTypeScopes: true } as const;

builder.queryField('authKitAuthorizationUrl', (t) =>
  t.string({
    ...open,
    description:
      'The hosted AuthKit URL to send the browser to; it comes back to `redirectUri` (registered in the WorkOS ' +
      'dashboard) with `?code=`, which signInWithCode trades for a session. Pass a PKCE `codeChallenge` (S256) ' +
      'and keep its verifier for signInWithCode.',
    args: {
      redirectUri: t.arg.string({ required: true, validate: redirectUri }),
      state: t.arg.string({ required: false, validate: z.string().max(2048).nullish() }),
      codeChallenge: t.arg.string({ required: false, validate: codeChallenge.nullish() }),
      screenHint: t.arg({ type: ScreenHintEnum, required: false }),
    },
    resolve: (_root, args, ctx) =>
      ctx.signIn.authorizationUrl({
        provider: 'authkit',
        redirectUri: args.redirectUri,
        state: args.state ?? undefined,
        codeChallenge: args.codeChallenge ?? undefined,
        screenHint: args.screenHint ?? undefined,
      }),
  }),
);

builder.mutationField('signOut', (t) =>
  t.field({
    ...open,
    // One call: the revocation at WorkOS.
    ...WRITE,
    type: SignOutPayload,
    description: 'Ends the session: revokes it at WorkOS and, with cookie sessions, clears the session cookie.',
    resolve: async (_root, _args, ctx) => ({ sessionId: await ctx.session.signOut() }),
  }),
);

// It reads nothing of the viewer's: the execution plan need not start their memberships.
planField('Query.authKitAuthorizationUrl', { start: () => undefined, access: () => false });
