import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What node:http hands yoga with each request. */
export interface ServerContext {
  req: IncomingMessage;
  res: ServerResponse;
}

/** Answers a plain-HTTP route (true) or leaves the request to GraphQL (false). */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

export interface HttpServer {
  /** Starts listening; resolves with the GraphQL endpoint's URL (port 0 picks a free port). */
  listen(port: number, host: string): Promise<string>;
  /** Stops accepting, lets in-flight requests finish (cut after `graceMs`), then closes. */
  close(graceMs?: number): Promise<void>;
}

/** The HTTP edge: plain routes (the webhook) first, everything else to yoga. */
export function createHttpServer(graphql: (req: IncomingMessage, res: ServerResponse) => unknown, routes: RouteHandler[]): HttpServer {
  const server: Server = createServer((req, res) => {
    if (!routes.some((route) => route(req, res))) void graphql(req, res);
  });
  return {
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const { port: bound } = server.address() as AddressInfo;
          const shownHost = host.includes(':') ? `[${host}]` : host;
          resolve(`http://${shownHost}:${bound}/graphql`);
        });
      }),
    close: (graceMs = 5_000) =>
      new Promise<void>((resolve) => {
        // Keep-alive sockets become idle as their last response is sent: close them as they do.
        const idle = setInterval(() => server.closeIdleConnections(), 50).unref();
        // Whatever is still open after the grace period (a stuck request) is cut.
        const cut = setTimeout(() => server.closeAllConnections(), graceMs).unref();
        server.close(() => {
          clearInterval(idle);
          clearTimeout(cut);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
