import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import type { Plugin } from 'graphql-yoga';
import { CSRF_HEADERS, type CookieSessions } from '../auth/cookie-session.ts';
import type { GatewayConfig } from '../config/index.ts';
import { useBodyLimit } from './use-body-limit.ts';
import { useDocumentLimits } from './use-document-limits.ts';
import { useGraphiQLAssets } from './use-graphiql-assets.ts';
import { useHiddenSuggestions } from './use-hidden-suggestions.ts';
import { useIntrospectionPolicy } from './use-introspection-policy.ts';
import { usePersistedDocuments } from './use-persisted-documents.ts';
import { useQueryCost, type CostReport } from './use-query-cost.ts';
import { useExecutionPlan, type Planner } from './use-execution-plan.ts';
import { useSessionCookies } from './use-session-cookies.ts';
import { useSubscriptionLimit } from './use-subscription-limit.ts';
import { useUpstreamScope } from './use-upstream-scope.ts';
import { useRequestTelemetry } from './use-request-telemetry.ts';
import { useSecretSafeErrors } from './use-secret-safe-errors.ts';
import { useSubscriptionLifecycle, type OpenSubscriptions } from './use-subscription-lifecycle.ts';

/**
 * The yoga plugins in the order a request meets them: body size, CSRF, introspection, the
 * document limits (parse and validate), the cost estimate (before execution), GraphiQL's
 * assets, the upstream scope and the plan's head start (execution), the open-subscription cap,
 * persisted documents (params); in production, no "Did you mean …?" in any result; and the
 * session cookies a response carries (cookie mode).
 */
export function gatewayPlugins(
  config: GatewayConfig,
  planner: Planner,
  rateLimit: () => CostReport['rateLimit'],
  parts: { cookies?: CookieSessions } = {},
): Plugin[] {
  const { security } = config;
  const production = config.nodeEnv === 'production';
  return [
    useBodyLimit(security.limits.maxBodyBytes),
    ...(security.csrfPrevention ? [useCSRFPrevention({ requestHeaders: [...CSRF_HEADERS] })] : []),
    useIntrospectionPolicy({ enabled: security.introspection, production }),
    ...useDocumentLimits(security.limits, { production }),
    useQueryCost(security.limits.maxCost, rateLimit),
    ...(security.graphiql ? [useGraphiQLAssets()] : []),
    useUpstreamScope(),
    useExecutionPlan(planner),
    useSubscriptionLimit(security.maxSubscriptionsPerCaller),
    usePersistedDocuments(config.persistedDocuments),
    ...(production ? [useHiddenSuggestions()] : []),
    ...(parts.cookies ? [useSessionCookies(parts.cookies)] : []),
  ];
}

/**
 * The operating plugins, after the above: the request's record for its log line, metrics and
 * span; credentials cut from coercion errors; open subscriptions counted and ended on shutdown.
 */
export function operatingPlugins(subscriptions: OpenSubscriptions): Plugin[] {
  return [useRequestTelemetry(), useSecretSafeErrors(), useSubscriptionLifecycle(subscriptions)];
}
