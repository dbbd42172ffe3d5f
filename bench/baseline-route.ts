import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WorkOS } from '@workos-inc/node';

/**
 * What the gateway replaces: a backend with one hand-written route per screen, each calling
 * the SDK directly. The overhead benchmark puts the gateway beside it, over the same hop.
 */
export async function startBaselineRoutes(upstream: { url: string; apiKey: string }) {
  const { hostname, port } = new URL(upstream.url);
  const workos = new WorkOS(upstream.apiKey, { apiHostname: hostname, port: Number(port), https: false, maxRetries: 0 });

  const server = createServer(async (req, res) => {
    const [, , id, tail] = (req.url ?? '').split('/');
    try {
      let body: unknown;
      if (tail === 'members') {
        const [organization, list] = await Promise.all([
          workos.organizations.getOrganization(id),
          workos.userManagement.listOrganizationMemberships({ organizationId: id, limit: 20 }),
        ]);
        // The SDK drops the user a membership carries, so a route fetches each one.
        const users = await Promise.all(list.data.map((m) => workos.userManagement.getUser(m.userId)));
        body = { name: organization.name, members: list.data.map((m, i) => ({ role: m.role.slug, email: users[i].email })) };
      } else {
        const organization = await workos.organizations.getOrganization(id);
        body = { id: organization.id, name: organization.name };
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    } catch {
      res.writeHead(502).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
