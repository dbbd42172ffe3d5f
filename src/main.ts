import { ConfigError, loadConfig, type GatewayConfig } from './config/index.ts';
import { createGateway } from './gateway.ts';
import type { LocalUpstream } from './local/local-upstream.ts';

/**
 * Starts the gateway. Without WORKOS_API_KEY it first starts local mode (src/local/): the
 * WorkOS emulator with demo data, so a newcomer has a working GraphiQL with no account.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  let upstream: GatewayConfig['workos'] & { apiKey: string };
  let local: LocalUpstream | undefined;
  const banner: string[] = [];

  if (config.workos.apiKey) {
    upstream = { ...config.workos, apiKey: config.workos.apiKey };
    banner.push(`Upstream: ${config.workos.https ? 'https' : 'http'}://${config.workos.apiHostname}${config.workos.apiPort ? `:${config.workos.apiPort}` : ''}`);
    if (!config.workos.clientId) banner.push('WORKOS_CLIENT_ID is not set: AuthKit sign-in and access tokens are off; only service tokens are accepted.');
  } else {
    if (config.nodeEnv === 'production') {
      throw new ConfigError('WORKOS_API_KEY is required when NODE_ENV=production (the demo emulator never runs in production).');
    }
    // Imported only here: production never loads the emulator's code.
    const { startLocalUpstream } = await import('./local/local-upstream.ts');
    local = await startLocalUpstream(config);
    upstream = local.workos;
    banner.push(...local.banner);
  }

  const gateway = createGateway({ ...config, workos: upstream });
  const url = await gateway.listen();
  local?.connect(url);
  console.log(`WorkOS GraphQL gateway ready: ${url} (open it in a browser for GraphiQL)`);
  for (const line of banner) console.log(line);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing in-flight requests...`);
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    await gateway.close();
    await local?.close();
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `Failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
