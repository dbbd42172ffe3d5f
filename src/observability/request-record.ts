import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Something worth an operator's attention that happened while serving a request, reported by
 * plain code (auth, sign-in) that knows nothing of loggers or metrics. Reasons are short fixed
 * words; never a token, password or email.
 */
export type Notable =
  | { kind: 'token_refused'; reason: TokenRefusal; /** the unaccepted `iss`, when that was the reason */ issuer?: string }
  | { kind: 'sign_in_refused'; reason: SignInRefusal };

export type TokenRefusal =
  | 'malformed_header'
  | 'not_a_jwt'
  | 'unknown_token'
  | 'expired'
  | 'not_yet_valid'
  | 'bad_signature'
  | 'unknown_key'
  | 'unknown_issuer'
  | 'bad_algorithm'
  | 'bad_claims';

export type SignInRefusal = 'ip_limit' | 'account_limit' | 'email_send_limit' | 'invalid_credentials' | 'upstream_rate_limited';

/** What the gateway learns about one HTTP request while serving it; the request log line and metrics are made from it. */
export interface RequestRecord {
  id: string;
  startedAt: number;
  method: string;
  path: string;
  operation?: { name: string | undefined; type: string };
  caller?: 'anonymous' | 'service' | 'user' | 'refused';
  /** A short hash of the caller's fairness key (organization or credential), never the id. */
  tenant?: string;
  /** True once yoga read GraphQL parameters from the request (not a GraphiQL page or asset). */
  graphql: boolean;
  upstreamCalls: number;
  /** Error codes of the response, in order. */
  errorCodes: string[];
  /** Values of this request that must never reach a log line (passwords, tokens, codes). */
  secrets: Set<string>;
  /** Where notable events of this request go (the owning gateway's logger and metrics). */
  notify(event: Notable): void;
}

const storage = new AsyncLocalStorage<RequestRecord>();

export const runWithRecord = <T>(record: RequestRecord, fn: () => T): T => storage.run(record, fn);
export const currentRecord = (): RequestRecord | undefined => storage.getStore();

/** Reports a notable event of the current request to its gateway; a no-op outside a request. */
export function report(event: Notable): void {
  currentRecord()?.notify(event);
}
