import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import type { Plugin } from 'graphql-yoga';
import type { GatewayConfig } from '../config/index.ts';
import { useBodyLimit } from './use-body-limit.ts';
import { useDocumentLimits } from './use-document-limits.ts';
import { useGraphiQLAssets } from './use-graphiql-assets.ts';
import { useHiddenSuggestions } from './use-hidden-suggestions.ts';
import { useIntrospectionPolicy } from './use-introspection-policy.ts';
import { usePersistedDocuments } from './use-persisted-documents.ts';
import { useQueryCost } from './use-query-cost.ts';
import { useSubscriptionLimit } from './use-subscription-limit.ts';
import { useUpstreamScope } from './use-upstream-scope.ts';

/**
 * The yoga plugins in the order a request meets them: body size, CSRF, introspection, the
 * document limits (parse and validate), the cost estimate (before execution), GraphiQL's
 * assets, the upstream scope (execution), the open-subscription cap, persisted documents
 * (params); in production, no "Did you mean …?" in any result.
 */
export function gatewayPlugins(config: GatewayConfig): Plugin[] {
  const { security } = config;
  const production = config.nodeEnv === 'production';
  return [
    useBodyLimit(security.limits.maxBodyBytes),
    ...(security.csrfPrevention ? [useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf', 'apollo-require-preflight'] })] : []),
    useIntrospectionPolicy({ enabled: security.introspection, production }),
    ...useDocumentLimits(security.limits, { production }),
    useQueryCost(security.limits.maxCost),
    ...(security.graphiql ? [useGraphiQLAssets()] : []),
    useUpstreamScope(),
    useSubscriptionLimit(security.maxSubscriptionsPerCaller),
    usePersistedDocuments(config.persistedDocuments),
    ...(production ? [useHiddenSuggestions()] : []),
  ];
}
