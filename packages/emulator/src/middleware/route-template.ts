import type { Context } from 'hono';
import { matchedRoutes } from 'hono/route';
import { UNMATCHED_ROUTE } from '../request-log.ts';

/**
 * The template of the route that serves this request (`/organizations/:id`). Hono matches every
 * route up front, so middleware can know it before the handler runs; `use()` middleware is
 * registered with method ALL and skipped.
 */
export function routeTemplate(c: Context): string {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    if (routes[i].method !== 'ALL') return routes[i].path;
  }
  return UNMATCHED_ROUTE;
}
