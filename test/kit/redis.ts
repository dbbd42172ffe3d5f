import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** A real redis-server (Debian's package) on a loopback port, for the tests of several instances. */
export interface RedisServer {
  url: string;
  port: number;
  /** A client of its own (for looking at keys); closed by stop(). */
  client: Redis;
  /** Kills the server (its data goes: no persistence), as an outage would. */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

async function waitForPing(port: number, password?: string): Promise<void> {
  const probe = new Redis({ port, host: '127.0.0.1', password, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  probe.on('error', () => undefined);
  try {
    for (let i = 0; i < 100; i++) {
      try {
        if (probe.status !== 'ready') await probe.connect();
        await probe.ping();
        return;
      } catch {
        probe.disconnect();
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    throw new Error(`redis-server did not answer on port ${port}`);
  } finally {
    probe.disconnect();
  }
}

function spawnServer(port: number, password?: string): ChildProcess {
  const auth = password ? ['--requirepass', password] : [];
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no', ...auth], {
    stdio: 'ignore',
  });
  child.on('error', () => undefined);
  return child;
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
  });

/** `password`: the server requires it (`--requirepass`), and `url` carries it. */
export async function startRedis(options: { password?: string } = {}): Promise<RedisServer> {
  const { password } = options;
  const port = await freePort();
  let child = spawnServer(port, password);
  await waitForPing(port, password);
  const client = new Redis({ port, host: '127.0.0.1', password, maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
  const kill = async () => {
    child.kill('SIGKILL');
    await exited(child);
  };
  return {
    url: password ? `redis://:${encodeURIComponent(password)}@127.0.0.1:${port}/0` : `redis://127.0.0.1:${port}/0`,
    port,
    client,
    kill,
    restart: async () => {
      child = spawnServer(port, password);
      await waitForPing(port, password);
    },
    stop: async () => {
      client.disconnect();
      await kill();
    },
  };
}
