import type { RouteModule } from '../context.ts';
import { notFound } from '../errors.ts';
import { mapList, paginate, parsePageParams } from '../pagination.ts';
import { connectionWire } from '../wire.ts';

/** SSO connections: list, get, delete (they are created in the WorkOS dashboard, here by the seed). */
const connections: RouteModule = (app, ctx) => {
  const { store } = ctx;

  app.get('/connections', (c) => {
    const q = new URL(c.req.url).searchParams;
    const page = parsePageParams(q);
    const orgId = q.get('organization_id');
    const type = q.get('connection_type');
    const domain = q.get('domain')?.toLowerCase();
    const search = q.get('search')?.toLowerCase();
    const items = [...store.connections.values()].filter(
      (conn) =>
        (!orgId || conn.organization_id === orgId) &&
        (!type || conn.connection_type === type) &&
        (!domain || conn.domains.some((d) => d.domain.toLowerCase() === domain)) &&
        (!search || conn.name.toLowerCase().includes(search)),
    );
    return c.json(mapList(paginate(items, page), connectionWire));
  });

  app.get('/connections/:id', (c) => {
    const conn = store.connections.get(c.req.param('id'));
    if (!conn) throw notFound('Connection', c.req.param('id'));
    return c.json(connectionWire(conn));
  });

  app.delete('/connections/:id', (c) => {
    const conn = store.connections.get(c.req.param('id'));
    if (!conn) throw notFound('Connection', c.req.param('id'));
    store.connections.delete(conn.id);
    ctx.emit('connection.deleted', { ...connectionWire(conn) });
    return c.body(null, 200);
  });
};

export default connections;
