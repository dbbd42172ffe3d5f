import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';

/** GATEWAY_TRUST_PROXY: a hop count, or the addresses / CIDRs / proxy-addr names of trusted proxies. */
export type TrustProxy = number | string[];

/**
 * The client's address, the key of sign-in limits, audit context and fairness. Behind a load
 * balancer every request comes from the balancer, so X-Forwarded-For is read; but only the
 * entries added by trusted proxies (proxy-addr walks the header from the nearest hop and stops
 * at the first address it does not trust), so a client cannot claim another address. Without a
 * setting the TCP peer is the client and the header is ignored.
 */
export function clientAddressResolver(trust: TrustProxy | undefined): (req: IncomingMessage) => string {
  if (trust === undefined || trust === 0) return (req) => req.socket.remoteAddress ?? 'unknown';
  const trusted = typeof trust === 'number' ? (_addr: string, hop: number) => hop < trust : proxyAddr.compile(trust);
  return (req) => (req.socket.remoteAddress ? proxyAddr(req, trusted) : 'unknown');
}
