import type { GraphQLFormattedError } from 'graphql';

/** What the gateway estimated and spent for one operation (`extensions.cost`). */
export interface GatewayCost {
  /** The cost the gateway estimated before running the operation. */
  estimate: number;
  /** WorkOS calls the operation made. */
  calls: number;
  [key: string]: unknown;
}

/** A response's top-level `extensions`, as the gateway sends them; `cost` when it reports one. */
export interface GatewayExtensions {
  cost?: GatewayCost;
  [key: string]: unknown;
}

export interface GatewayRequestErrorInit {
  errors?: readonly GraphQLFormattedError[];
  /** HTTP status; 0 when no response arrived (network failure). */
  status: number;
  /** Partial data that came with the errors, if any. */
  data?: unknown;
  extensions?: GatewayExtensions;
  /** The response's Retry-After header, in seconds. */
  retryAfterHeader?: number;
  cause?: unknown;
}

/** A response with GraphQL errors, or no GraphQL response at all (`errors` is then empty). */
export class GatewayRequestError extends Error {
  override name = 'GatewayRequestError';
  readonly errors: readonly GraphQLFormattedError[];
  readonly status: number;
  readonly data: unknown;
  /** The response's top-level extensions (e.g. `cost`), when there were any. */
  readonly extensions: GatewayExtensions | undefined;
  /**
   * Seconds to wait before trying again, when the gateway said (`extensions.retryAfter` of a
   * RATE_LIMITED error, or the Retry-After header).
   */
  readonly retryAfter: number | undefined;

  constructor(message: string, init: GatewayRequestErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.errors = init.errors ?? [];
    this.status = init.status;
    this.data = init.data ?? null;
    this.extensions = init.extensions;
    this.retryAfter = retryAfterOf(this.errors) ?? init.retryAfterHeader;
  }

  /** `extensions.code` of each error, e.g. BAD_USER_INPUT, UNAUTHENTICATED, RATE_LIMITED. */
  get codes(): string[] {
    return this.errors.flatMap((e) => (typeof e.extensions?.code === 'string' ? [e.extensions.code] : []));
  }

  /** True when the gateway refused the caller's session or token (HTTP 401 or UNAUTHENTICATED). */
  get unauthenticated(): boolean {
    return this.status === 401 || this.codes.includes('UNAUTHENTICATED');
  }

  /** The operation's cost, when the gateway reported one. */
  get cost(): GatewayCost | undefined {
    return this.extensions?.cost;
  }
}

function retryAfterOf(errors: readonly GraphQLFormattedError[]): number | undefined {
  for (const error of errors) {
    const value = error.extensions?.retryAfter;
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  }
  return undefined;
}

/** Retry-After as seconds: a number of seconds or an HTTP date. */
export function retryAfterHeader(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}
