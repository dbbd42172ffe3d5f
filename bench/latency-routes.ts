import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WorkOS } from '@workos-inc/node';

/**
 * The hand-written backend the latency benchmark compares against: one route per screen, each
 * calling the SDK as its documentation shows, with every independent call in one Promise.all.
 * It checks no caller and plans nothing beyond that: the fastest a route written by hand gets.
 */
export async function startLatencyRoutes(upstream: { url: string; apiKey: string }) {
  const { hostname, port } = new URL(upstream.url);
  const workos = new WorkOS(upstream.apiKey, { apiHostname: hostname, port: Number(port), https: false, maxRetries: 0 });
  const um = workos.userManagement;

  const routes: Record<string, (id: string) => Promise<unknown>> = {
    // The SDK drops the user a membership carries: a route fetches each member, all at once.
    members: async (id) => {
      const [org, page] = await Promise.all([workos.organizations.getOrganization(id), um.listOrganizationMemberships({ organizationId: id, limit: 50 })]);
      const users = await Promise.all(page.data.map((m) => um.getUser(m.userId)));
      return { name: org.name, members: page.data.map((m, i) => ({ role: m.role.slug, email: users[i].email, name: users[i].firstName })) };
    },
    // The membership names its organization: no organization read.
    profile: async (id) => {
      const [user, page] = await Promise.all([um.getUser(id), um.listOrganizationMemberships({ userId: id, limit: 10 })]);
      return { email: user.email, organizations: page.data.map((m) => m.organizationName) };
    },
    // Directories must be listed before their users and groups can be.
    setup: async (id) => {
      const [org, connections, directories] = await Promise.all([
        workos.organizations.getOrganization(id),
        workos.sso.listConnections({ organizationId: id, limit: 10 }),
        workos.directorySync.listDirectories({ organizationId: id, limit: 3 }),
      ]);
      const dirs = await Promise.all(
        directories.data.map(async (d) => {
          const [users, groups] = await Promise.all([
            workos.directorySync.listUsers({ directory: d.id, limit: 10 }),
            workos.directorySync.listGroups({ directory: d.id, limit: 10 }),
          ]);
          return { name: d.name, users: users.data.map((u) => u.email), groups: groups.data.map((g) => g.name) };
        }),
      );
      return { name: org.name, connections: connections.data.map((c) => c.name), directories: dirs };
    },
    // Organizations, then their members, then each distinct member's organizations: three rounds.
    dashboard: async () => {
      const orgs = await workos.organizations.listOrganizations({ limit: 10 });
      const pages = await Promise.all(orgs.data.map((o) => um.listOrganizationMemberships({ organizationId: o.id, limit: 10 })));
      const userIds = [...new Set(pages.flatMap((p) => p.data.map((m) => m.userId)))];
      const theirs = new Map(await Promise.all(userIds.map(async (u) => [u, await um.listOrganizationMemberships({ userId: u, limit: 10 })] as const)));
      return orgs.data.map((o, i) => ({
        name: o.name,
        members: pages[i].data.map((m) => ({ userId: m.userId, organizations: theirs.get(m.userId)!.data.map((x) => x.organizationName) })),
      }));
    },
  };

  const server = createServer(async (req, res) => {
    const [, name, id = ''] = (req.url ?? '').split('/');
    const route = routes[name];
    try {
      if (!route) throw new Error('no route');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(await route(id)));
    } catch {
      res.writeHead(502).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
