import { z } from 'zod';
import { bool, positiveInt } from './values.ts';
import proxyAddr from 'proxy-addr';
import { hashServiceToken } from '../auth/service-tokens.ts';

/** Security settings of the gateway (docs/security.md has the table). */
export interface SecurityConfig {
  /** Accepted `iss` of access tokens; undefined: derived from the WorkOS base URL and client id. */
  issuers: string[] | undefined;
  /** SHA-256 of each service token; the tokens themselves are not kept. */
  serviceTokenHashes: Buffer[];
  signIn: { perIp: number; perAccount: number; windowSeconds: number };
  limits: { maxCost: number; maxDepth: number; maxAliases: number; maxTokens: number; maxBodyBytes: number };
  graphiql: boolean;
  introspection: boolean;
  /** Origins allowed by CORS; undefined: any outside production, none in production. */
  corsOrigins: string[] | undefined;
  /** Refuse requests a browser could send cross-site without a preflight (on in production). */
  csrfPrevention: boolean;
  /** Which proxies' X-Forwarded-For entries name the client: a hop count, or their addresses/CIDRs. */
  trustProxy: number | string[] | undefined;
  /** Open subscriptions one caller may hold at once. */
  maxSubscriptionsPerCaller: number;
}

const commaList = (item: z.ZodString, what: string) =>
  z
    .string()
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .refine((items) => items.every((s) => item.safeParse(s).success), `expected a comma-separated list of ${what}`);

const url = z.string().regex(/^https?:\/\/[^\s,]+$/);
const origin = z.string().regex(/^https?:\/\/[^\s,/]+$/);
// Long random values only: a guessable service token would be full access.
const serviceToken = z.string().regex(/^[A-Za-z0-9._~+/=-]{32,512}$/);

const compiles = (list: string[]) => {
  try {
    proxyAddr.compile(list);
    return true;
  } catch {
    return false;
  }
};

/** A hop count (`1`: the nearest proxy), or addresses, CIDRs and proxy-addr's names (`loopback`, ...). */
const trustProxy = z
  .string()
  .trim()
  .transform((v): number | string[] => (/^\d+$/.test(v) ? Number(v) : v.split(',').map((s) => s.trim()).filter(Boolean)))
  .refine((v) => (typeof v === 'number' ? v <= 16 : v.length > 0 && compiles(v)), 'expected a hop count (0-16) or comma-separated addresses or CIDRs such as 10.0.0.0/8');

/** The variables, spread into the config schema of src/config/index.ts. */
export const SECURITY_VARIABLES = {
  WORKOS_ISSUER: commaList(url, 'issuer URLs').optional(),
  GATEWAY_SERVICE_TOKENS: commaList(serviceToken, 'tokens of at least 32 characters [A-Za-z0-9._~+/=-]').optional(),
  GATEWAY_SIGN_IN_IP_LIMIT: positiveInt.default(20),
  GATEWAY_SIGN_IN_ACCOUNT_LIMIT: positiveInt.default(5),
  GATEWAY_SIGN_IN_WINDOW_SECONDS: positiveInt.default(60),
  GATEWAY_MAX_QUERY_COST: positiveInt.default(1000),
  GATEWAY_MAX_DEPTH: positiveInt.default(15),
  GATEWAY_MAX_ALIASES: positiveInt.default(15),
  GATEWAY_MAX_TOKENS: positiveInt.default(2000),
  GATEWAY_MAX_BODY_BYTES: positiveInt.default(100_000),
  GATEWAY_GRAPHIQL: bool.optional(),
  GATEWAY_INTROSPECTION: bool.optional(),
  GATEWAY_CORS_ORIGINS: commaList(origin, 'origins such as https://app.example.com').optional(),
  GATEWAY_TRUST_PROXY: trustProxy.optional(),
  GATEWAY_MAX_SUBSCRIPTIONS_PER_CALLER: positiveInt.max(1000).default(5),
};

type Parsed = z.output<z.ZodObject<typeof SECURITY_VARIABLES>>;

export function securityConfigFrom(e: Parsed, nodeEnv: 'development' | 'production' | 'test'): SecurityConfig {
  const production = nodeEnv === 'production';
  return {
    issuers: e.WORKOS_ISSUER,
    serviceTokenHashes: (e.GATEWAY_SERVICE_TOKENS ?? []).map(hashServiceToken),
    signIn: {
      perIp: e.GATEWAY_SIGN_IN_IP_LIMIT,
      perAccount: e.GATEWAY_SIGN_IN_ACCOUNT_LIMIT,
      windowSeconds: e.GATEWAY_SIGN_IN_WINDOW_SECONDS,
    },
    limits: {
      maxCost: e.GATEWAY_MAX_QUERY_COST,
      maxDepth: e.GATEWAY_MAX_DEPTH,
      maxAliases: e.GATEWAY_MAX_ALIASES,
      maxTokens: e.GATEWAY_MAX_TOKENS,
      maxBodyBytes: e.GATEWAY_MAX_BODY_BYTES,
    },
    graphiql: e.GATEWAY_GRAPHIQL ?? !production,
    introspection: e.GATEWAY_INTROSPECTION ?? !production,
    corsOrigins: e.GATEWAY_CORS_ORIGINS,
    csrfPrevention: production,
    trustProxy: e.GATEWAY_TRUST_PROXY,
    maxSubscriptionsPerCaller: e.GATEWAY_MAX_SUBSCRIPTIONS_PER_CALLER,
  };
}

/** WorkOS' issuer forms: the SDK README's `<base>/user_management/<client id>` and the docs' `<base>/`. */
export function defaultIssuers(baseUrl: string, clientId: string): string[] {
  return [`${baseUrl}/user_management/${clientId}`, `${baseUrl}/`];
}
