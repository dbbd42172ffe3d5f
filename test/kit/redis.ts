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

async function waitForPing(port: number): Promise<void> {
  const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
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

function spawnServer(port: number): ChildProcess {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'], {
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

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  let child = spawnServer(port);
  await waitForPing(port);
  const client = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
  const kill = async () => {
    child.kill('SIGKILL');
    await exited(child);
  };
  return {
    url: `redis://127.0.0.1:${port}/0`,
    port,
    client,
    kill,
    restart: async () => {
      child = spawnServer(port);
      await waitForPing(port);
    },
    stop: async () => {
      client.disconnect();
      await kill();
    },
  };
}
