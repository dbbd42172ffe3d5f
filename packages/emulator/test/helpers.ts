import { WorkOS } from '@workos-inc/node';
import type { EmulatorHandle } from '../src/server.ts';

/** An SDK client pointed at the emulator, without retries so every error surfaces at once. */
export function sdkFor(em: EmulatorHandle, opts: { apiKey?: string; fetchFn?: typeof fetch } = {}): WorkOS {
  const url = new URL(em.url);
  return new WorkOS(opts.apiKey ?? em.apiKey, {
    apiHostname: url.hostname,
    port: Number(url.port),
    https: false,
    maxRetries: 0,
    clientId: em.clientId,
    fetchFn: opts.fetchFn,
  });
}

/** Raw HTTP against the emulator with the API key set. */
export async function api(
  em: EmulatorHandle,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: unknown; text: string }> {
  const res = await fetch(em.url + path, {
    method,
    headers: {
      authorization: `Bearer ${em.apiKey}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: leave body undefined, the test reads `text`
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** Awaits a promise expected to reject and returns the error. */
export async function caught(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await p;
  } catch (err) {
    return err as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail');
}

export const firstOf = <T>(map: Map<string, T>): T => map.values().next().value as T;
