import type { CORSOptions } from 'graphql-yoga';
import type { SecurityConfig } from '../config/security.ts';

const METHODS = ['GET', 'POST', 'OPTIONS'];

/**
 * An allow-list when configured; else any origin outside production and none in it. Bearer
 * tokens, not cookies, carry identity, so no origin is told it may send credentials
 * (`Access-Control-Allow-Credentials` is never sent).
 */
export function corsOptions(security: SecurityConfig, production: boolean): CORSOptions | false {
  if (security.corsOrigins) return { origin: security.corsOrigins, methods: METHODS, credentials: false };
  return production ? false : { origin: '*', methods: METHODS, credentials: false };
}
