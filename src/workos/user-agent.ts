import gateway from '../../package.json' with { type: 'json' };
import sdk from '@workos-inc/node/package.json' with { type: 'json' };

/**
 * The User-Agent of every WorkOS call: the gateway and its version, the SDK underneath, then the
 * application's own suffix (GATEWAY_USER_AGENT_SUFFIX, e.g. `acme-admin/2.3`), so WorkOS' logs and
 * support can tell which product made a call. The queue sets it on every request it sends, the
 * SDK's and the key set downloads alike (src/transport/queue.ts).
 */
export function gatewayUserAgent(suffix?: string): string {
  return [`workos-graphql-gateway/${gateway.version}`, `workos-node/${sdk.version}`, suffix].filter(Boolean).join(' ');
}
