import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/** One problem of a 422, as WorkOS names it: the (snake_case) field and a machine code. */
export interface UpstreamFieldError {
  field: string;
  code: string;
}

/**
 * The SDK's UnprocessableEntityException keeps a 422's message and code but drops its `errors`
 * (the field of each problem), so the fields are read here from the raw answer, on the way to
 * the SDK, and found again by the request id the SDK copies into the exception. Answers
 * without an X-Request-ID get one, so every 422 can be matched. Bounded and short-lived: an
 * entry is taken once, when the exception is mapped, moments after the answer came in.
 */
const details = new LRUCache<string, UpstreamFieldError[]>({ max: 1000, ttl: 60_000 });

const isFieldError = (value: unknown): value is UpstreamFieldError =>
  typeof value === 'object' && value !== null && typeof (value as UpstreamFieldError).field === 'string' && typeof (value as UpstreamFieldError).code === 'string';

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export function keepUnprocessableDetails(fetch: Fetch): Fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (response.status !== 422) return response;
    const body: unknown = await response.clone().json().catch(() => undefined);
    const errors = typeof body === 'object' && body !== null && Array.isArray((body as { errors?: unknown }).errors) ? (body as { errors: unknown[] }).errors : [];
    const fields = errors.filter(isFieldError).map(({ field, code }) => ({ field, code }));
    if (fields.length === 0) return response;
    let requestId = response.headers.get('x-request-id');
    let answer = response;
    if (!requestId) {
      requestId = `gateway_${randomUUID()}`;
      const headers = new Headers(response.headers);
      headers.set('x-request-id', requestId);
      answer = new Response(response.body, { status: response.status, statusText: response.statusText, headers });
    }
    details.set(requestId, fields);
    return answer;
  };
}

/** The field problems of the 422 answered under this request id, once. */
export function unprocessableDetails(requestId: string | undefined): UpstreamFieldError[] {
  if (!requestId) return [];
  const found = details.get(requestId) ?? [];
  details.delete(requestId);
  return found;
}
