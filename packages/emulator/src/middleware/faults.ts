import type { MiddlewareHandler } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { FaultRegistry } from '../faults.ts';
import './counters.ts';
import { routeTemplate } from './route-template.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function defaultBody(status: number): Record<string, unknown> {
  if (status === 429) return { code: 'rate_limit_exceeded', message: 'Rate limit exceeded (injected fault).' };
  return { code: 'injected_fault', message: `Injected fault: HTTP ${status}.` };
}

/** Applies the first matching injected fault: delay, dropped connection, or a canned response. */
export const faults = (registry: FaultRegistry): MiddlewareHandler => async (c, next) => {
  const fault = registry.take(c.req.method, c.req.path, routeTemplate(c));
  if (!fault) return next();
  if (fault.latencyMs && fault.latencyMs > 0) await sleep(fault.latencyMs);
  if (fault.after) await next();
  if (fault.drop) {
    const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming;
    incoming?.socket.destroy();
    c.set('emulatorDropped', true);
    return c.body(null, 500);
  }
  if (fault.status === undefined) return fault.after ? undefined : next();
  const headers: Record<string, string> = {};
  if (fault.retryAfter !== undefined) headers['Retry-After'] = String(Math.ceil(fault.retryAfter));
  const body = fault.body === undefined ? defaultBody(fault.status) : fault.body;
  const response = c.json(body as never, fault.status as never, headers);
  if (fault.after) {
    c.res = response;
    return;
  }
  return response;
};
