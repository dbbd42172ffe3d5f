import { ConfigError, loadConfig, type GatewayConfig } from './config/index.ts';
import { createGateway } from './gateway.ts';

/** What local mode (src/local/local-upstream.ts) hands the start; named here so the build leaves local mode out. */
interface LocalUpstream {
  workos: GatewayConfig['workos'] & { apiKey: string };
  banner: string[];
  connect(gatewayUrl: string): void;
  close(): Promise<void>;
}

// A path in a variable: the production build (tsconfig.build.json) does not follow it, so dist/ holds no local mode.
const LOCAL_MODE = './local/local-upstream.ts';

async function startLocal(config: GatewayConfig): Promise<LocalUpstream> {
  let module: { startLocalUpstream(config: GatewayConfig): Promise<LocalUpstream> };
  try {
    module = (await import(LOCAL_MODE)) as typeof module;
  } catch (error) {
    const missing = (error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes('local-upstream');
    if (missing) throw new ConfigError('WORKOS_API_KEY is not set, and local mode (the demo emulator) runs only from the source checkout: `npm start`.');
    throw error;
  }
  return module.startLocalUpstream(config);
}

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
    local = await startLocal(config);
    upstream = local.workos;
    banner.push(...local.banner);
  }

  const gateway = createGateway({ ...config, workos: upstream });
  const url = await gateway.listen();
  local?.connect(url);
  console.log(`WorkOS GraphQL gateway ready: ${url} (open it in a browser for GraphiQL)`);
  for (const line of banner) console.log(line);
  gateway.telemetry.logger.info({ event: 'started', url, upstream: local ? 'local emulator' : 'WorkOS', tracing: Boolean(gateway.telemetry.tracing), metrics: Boolean(gateway.telemetry.metrics) }, 'Gateway started');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing in-flight requests...`);
    // The server cuts what is left after the grace period; this is the last resort if closing hangs.
    const force = setTimeout(() => process.exit(1), config.observability.shutdownGraceMs + 5_000).unref();
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
