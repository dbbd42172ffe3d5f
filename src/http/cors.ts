import type { CORSOptions } from 'graphql-yoga';
import type { SecurityConfig } from '../config/security.ts';

/**
 * An allow-list when configured; else any origin outside production and none in it. Bearer
 * tokens, not cookies, carry identity, so credentials are never allowed.
 */
export function corsOptions(security: SecurityConfig, production: boolean): CORSOptions | false | undefined {
  if (security.corsOrigins) return { origin: security.corsOrigins, methods: ['GET', 'POST', 'OPTIONS'] };
  return production ? false : undefined;
}
