import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import type { Plugin } from 'graphql-yoga';
import type { CookieSessions } from '../auth/cookie-session.ts';
import type { GatewayConfig } from '../config/index.ts';
import { useBodyLimit } from './use-body-limit.ts';
import { useDocumentLimits } from './use-document-limits.ts';
import { useGraphiQLAssets } from './use-graphiql-assets.ts';
import { useIntrospectionPolicy } from './use-introspection-policy.ts';
import { usePersistedDocuments } from './use-persisted-documents.ts';
import { useQueryCost } from './use-query-cost.ts';
import { useSessionCookies } from './use-session-cookies.ts';
import { useUpstreamScope } from './use-upstream-scope.ts';

/**
 * The yoga plugins in the order a request meets them: body size, CSRF, introspection, the
 * document limits (parse and validate), the cost estimate (before execution), GraphiQL's
 * assets, the upstream scope (execution), persisted documents (params), and the session
 * cookies a response carries (cookie mode).
 */
export function gatewayPlugins(config: GatewayConfig, parts: { cookies?: CookieSessions } = {}): Plugin[] {
  const { security } = config;
  const production = config.nodeEnv === 'production';
  return [
    useBodyLimit(security.limits.maxBodyBytes),
    ...(security.csrfPrevention ? [useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf', 'apollo-require-preflight'] })] : []),
    useIntrospectionPolicy({ enabled: security.introspection, production }),
    ...useDocumentLimits(security.limits, { production }),
    useQueryCost(security.limits.maxCost),
    ...(security.graphiql ? [useGraphiQLAssets()] : []),
    useUpstreamScope(config.upstream.requestBudgetMs),
    usePersistedDocuments(config.persistedDocuments),
    ...(parts.cookies ? [useSessionCookies(parts.cookies)] : []),
  ];
}
