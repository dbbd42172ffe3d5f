import type { Hono } from 'hono';
import type { EmulatorContext, RouteModule } from '../context.ts';
import { unprocessable, type FieldError } from '../errors.ts';
import { arrayParam, paginate, parsePageParams } from '../pagination.ts';
import type { EventRecord } from '../store.ts';

/**
 * GET /events: the Events API over everything ctx.emit recorded. Filters `events` (comma list),
 * `organization_id`, `range_start`/`range_end` (inclusive), paging as every list (limit 1..100,
 * order desc by default); `list_metadata` carries only `after`, as the spec's EventList.
 */

/** The event as WorkOS sends it, on the list and in webhooks. */
export function eventWire(event: EventRecord): { object: 'event'; id: string; event: string; data: Record<string, unknown>; created_at: string } {
  return { object: 'event', id: event.id, event: event.event, data: event.data, created_at: event.created_at };
}

/** The organization an event concerns: recorded by emit, else read from the payload. */
function organizationOf(event: EventRecord): string | undefined {
  if (event.organization_id) return event.organization_id;
  const data = event.data;
  if (typeof data.organization_id === 'string') return data.organization_id;
  if (data.object === 'organization' && typeof data.id === 'string') return data.id;
  return undefined;
}

function parseDate(query: URLSearchParams, field: string, errors: FieldError[]): number | undefined {
  const raw = query.get(field);
  if (raw === null || raw === '') return undefined;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) errors.push({ field, code: 'invalid_date' });
  return ms;
}

const events: RouteModule = (app: Hono, ctx: EmulatorContext) => {
  app.get('/events', (c) => {
    const query = new URL(c.req.url).searchParams;
    const page = parsePageParams(query);
    const errors: FieldError[] = [];
    const start = parseDate(query, 'range_start', errors);
    const end = parseDate(query, 'range_end', errors);
    if (errors.length > 0) throw unprocessable(errors, 'range_start and range_end must be ISO-8601 dates.');
    const names = arrayParam(query, 'events');
    const organizationId = query.get('organization_id') || undefined;

    const matching = ctx.store.events.filter((e) => {
      const at = Date.parse(e.created_at);
      return (
        (!names || names.includes(e.event)) &&
        (!organizationId || organizationOf(e) === organizationId) &&
        (start === undefined || at >= start) &&
        (end === undefined || at <= end)
      );
    });
    const list = paginate(matching, page);
    return c.json({ object: 'list', data: list.data.map(eventWire), list_metadata: { after: list.list_metadata.after } });
  });
};

export default events;
