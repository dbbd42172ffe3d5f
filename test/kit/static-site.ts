import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

export interface StaticSite {
  /** e.g. http://localhost:43123/ */
  url: string;
  close(): Promise<void>;
}

/**
 * A built single-page app as a host serves it: files from `root` (index.html for any other
 * path) and `/graphql` passed through to the gateway, so the app and the gateway share one
 * origin and the session cookie is same-site. Streams both ways (subscriptions are SSE).
 */
export async function serveStaticSite(root: string, graphqlUrl: string): Promise<StaticSite> {
  const upstream = new URL(graphqlUrl);
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://site').pathname;
    if (path === '/graphql') {
      const forward = httpRequest(
        { host: upstream.hostname, port: upstream.port, path: `${upstream.pathname}${new URL(req.url ?? '/', 'http://site').search}`, method: req.method, headers: { ...req.headers, host: upstream.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      req.pipe(forward);
      return;
    }
    const file = normalize(join(root, path));
    const target = file.startsWith(root) && existsSync(file) && statSync(file).isFile() ? file : join(root, 'index.html');
    res.writeHead(200, { 'content-type': TYPES[extname(target)] ?? 'application/octet-stream' });
    createReadStream(target).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
