import { lexicographicSortSchema, type GraphQLSchema } from 'graphql';
import { builder } from './builder.ts';
import './scalars.ts';
import './errors.ts';
import './organization.ts';
import './organization-mutations.ts';
import './user.ts';
import './membership.ts';
import './directory.ts';
import './sso-connection.ts';
import './user-mutations.ts';
import './membership-mutations.ts';
import './audit-log.ts';
import './onboarding.ts';
import './viewer.ts';
import './sign-in.ts';
import './session.ts';
import './viewer-permissions.ts';
import './events.ts';
// The admin screens and the rest of sign-in.
import './role.ts';
import './invitation.ts';
import './organization-domain.ts';
import './admin-portal.ts';
import './widgets.ts';
import './sessions.ts';
import './auth-factors.ts';
import './sign-in-steps.ts';
import './audit-log-actions.ts';

// Every field needs a signed-in caller unless it opts out (the sign-in mutations); fields add their own rules.
builder.queryType({
  description: 'Read WorkOS organizations, users, directories and SSO connections.',
  authScopes: { signedIn: true },
});
builder.mutationType({
  description: 'Change WorkOS data. Expected failures come back as typed results.',
  authScopes: { signedIn: true },
});
builder.subscriptionType({
  description: 'Live WorkOS events and audit log export progress, over server-sent events.',
  authScopes: { signedIn: true },
});

export { startPlan } from './plan.ts';

let schema: GraphQLSchema | undefined;

/** Built once: the schema is the same for every request. */
export function buildSchema(): GraphQLSchema {
  schema ??= lexicographicSortSchema(builder.toSchema());
  return schema;
}
