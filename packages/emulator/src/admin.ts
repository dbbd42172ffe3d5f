import { Hono } from 'hono';
import type { RateLimitConfig } from './context.ts';
import type { FaultRegistry, FaultSpec } from './faults.ts';
import type { RequestLog } from './request-log.ts';
import { ApiError } from './errors.ts';
import { isObject, readJsonObject } from './body.ts';
import { notFound, onError } from './middleware/errors.ts';
import { requestId } from './middleware/request-id.ts';

export interface AdminControls {
  requests: RequestLog;
  faults: FaultRegistry;
  reset: () => void;
  setRateLimits: (r: Partial<RateLimitConfig> | false) => void;
  dns: { publishTxtRecord(name: string, value: string): void; clear(): void };
  info: () => Record<string, unknown>;
}

/**
 * Test controls over HTTP under /_emulator/: no API key, not counted, never faulted or limited,
 * so a test can steer an emulator running in another process.
 */
export function createAdminApp(controls: AdminControls): Hono {
  const app = new Hono({ strict: false }).basePath('/_emulator');
  app.use('*', requestId());
  app.get('/', (c) => c.json(controls.info()));
  app.get('/requests', (c) =>
    c.json({ total: controls.requests.total(), counts: controls.requests.counts(), log: controls.requests.log() }),
  );
  app.post('/requests/reset', (c) => {
    controls.requests.reset();
    return c.json({ ok: true });
  });
  app.get('/faults', (c) => c.json({ data: controls.faults.list() }));
  app.post('/faults', async (c) => {
    const body = await readJsonObject(c);
    if (typeof body.path !== 'string' || body.path === '') {
      throw new ApiError(422, { code: 'invalid_request_parameters', message: 'path is required.', errors: [{ field: 'path', code: 'path_required' }] });
    }
    try {
      return c.json({ id: controls.faults.add(body as unknown as FaultSpec) }, 201);
    } catch (err) {
      throw new ApiError(422, { code: 'invalid_request_parameters', message: err instanceof Error ? err.message : 'Invalid fault.' });
    }
  });
  app.delete('/faults', (c) => {
    controls.faults.clear();
    return c.json({ ok: true });
  });
  app.delete('/faults/:id', (c) => {
    controls.faults.remove(c.req.param('id'));
    return c.json({ ok: true });
  });
  app.post('/reset', (c) => {
    controls.reset();
    return c.json({ ok: true });
  });
  app.put('/rate-limits', async (c) => {
    const text = (await c.req.text()).trim();
    const body: unknown = text === '' || text === 'false' ? false : JSON.parse(text);
    if (body !== false && !isObject(body)) throw new ApiError(422, { code: 'invalid_request_parameters', message: 'Send false or a rate limit config object.' });
    controls.setRateLimits(body === false ? false : (body as Partial<RateLimitConfig>));
    return c.json({ ok: true });
  });
  app.put('/dns/:name', async (c) => {
    const body = await readJsonObject(c);
    if (typeof body.value !== 'string' || body.value === '') {
      throw new ApiError(422, { code: 'invalid_request_parameters', message: 'value is required.', errors: [{ field: 'value', code: 'value_required' }] });
    }
    controls.dns.publishTxtRecord(c.req.param('name'), body.value);
    return c.json({ ok: true });
  });
  app.delete('/dns', (c) => {
    controls.dns.clear();
    return c.json({ ok: true });
  });
  app.notFound(notFound);
  app.onError(onError);
  return app;
}
