import type { RouteModule } from '../context.ts';
import { ApiError, notFound } from '../errors.ts';
import { mapList, paginate, parsePageParams } from '../pagination.ts';
import { directoryUserWire, directoryWire } from '../wire.ts';
import { deleteDirectoryCascade } from './cascade.ts';

const oneOfRequired = (a: string, b: string) =>
  new ApiError(422, {
    code: 'invalid_request_parameters',
    message: `Either ${a} or ${b} is required.`,
    errors: [{ field: a, code: `${a}_or_${b}_required` }],
  });

/** Directory Sync: directories, their users and groups (read-only apart from deleting a directory). */
const directories: RouteModule = (app, ctx) => {
  const { store } = ctx;

  app.get('/directories', (c) => {
    const q = new URL(c.req.url).searchParams;
    const page = parsePageParams(q);
    const orgId = q.get('organization_id');
    const search = q.get('search')?.toLowerCase();
    const domain = q.get('domain')?.toLowerCase();
    const items = [...store.directories.values()].filter(
      (d) =>
        (!orgId || d.organization_id === orgId) &&
        (!search || d.name.toLowerCase().includes(search)) &&
        (!domain || d.domain?.toLowerCase() === domain),
    );
    return c.json(mapList(paginate(items, page), directoryWire));
  });

  app.get('/directories/:id', (c) => {
    const dir = store.directories.get(c.req.param('id'));
    if (!dir) throw notFound('Directory', c.req.param('id'));
    return c.json(directoryWire(dir));
  });

  app.delete('/directories/:id', (c) => {
    const dir = store.directories.get(c.req.param('id'));
    if (!dir) throw notFound('Directory', c.req.param('id'));
    deleteDirectoryCascade(ctx, dir);
    return c.body(null, 200);
  });

  app.get('/directory_users', (c) => {
    const q = new URL(c.req.url).searchParams;
    const directory = q.get('directory');
    const group = q.get('group');
    if (!directory && !group) throw oneOfRequired('directory', 'group');
    const page = parsePageParams(q);
    if (directory && !store.directories.has(directory)) throw notFound('Directory', directory);
    if (group && !store.directoryGroups.has(group)) throw notFound('Directory group', group);
    const items = [...store.directoryUsers.values()].filter(
      (u) => (!directory || u.directory_id === directory) && (!group || u.group_ids.includes(group)),
    );
    return c.json(mapList(paginate(items, page), (u) => directoryUserWire(store, u)));
  });

  app.get('/directory_users/:id', (c) => {
    const u = store.directoryUsers.get(c.req.param('id'));
    if (!u) throw notFound('Directory user', c.req.param('id'));
    return c.json(directoryUserWire(store, u));
  });

  app.get('/directory_groups', (c) => {
    const q = new URL(c.req.url).searchParams;
    const directory = q.get('directory');
    const user = q.get('user');
    if (!directory && !user) throw oneOfRequired('directory', 'user');
    const page = parsePageParams(q);
    if (directory && !store.directories.has(directory)) throw notFound('Directory', directory);
    const member = user ? store.directoryUsers.get(user) : undefined;
    if (user && !member) throw notFound('Directory user', user);
    const items = [...store.directoryGroups.values()].filter(
      (g) => (!directory || g.directory_id === directory) && (!member || member.group_ids.includes(g.id)),
    );
    return c.json(paginate(items, page));
  });

  app.get('/directory_groups/:id', (c) => {
    const g = store.directoryGroups.get(c.req.param('id'));
    if (!g) throw notFound('Directory group', c.req.param('id'));
    return c.json(g);
  });
};

export default directories;
