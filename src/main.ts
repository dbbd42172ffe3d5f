import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig, type GatewayConfig } from './config.ts';
import { WEBHOOK_PATH } from './events/webhook-endpoint.ts';
import { createGateway } from './server.ts';

/**
 * Starts the gateway. Without WORKOS_API_KEY it first starts the local WorkOS emulator with
 * demo data, so a newcomer has a working GraphiQL with no account and no network.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  let upstream: GatewayConfig['workos'] & { apiKey: string };
  let closeEmulator: (() => Promise<void>) | undefined;
  let banner: string[] = [];
  /** Local mode: tells the emulator where to send its signed webhooks, once the gateway's URL is known. */
  let registerWebhook: ((gatewayUrl: string) => void) | undefined;

  if (config.workos.apiKey) {
    upstream = { ...config.workos, apiKey: config.workos.apiKey };
    banner.push(`Upstream: ${config.workos.https ? 'https' : 'http'}://${config.workos.apiHostname}${config.workos.apiPort ? `:${config.workos.apiPort}` : ''}`);
    if (!config.workos.clientId) banner.push('WORKOS_CLIENT_ID is not set: AuthKit sign-in and access tokens are off; only service tokens are accepted.');
  } else {
    if (config.nodeEnv === 'production') {
      throw new ConfigError('WORKOS_API_KEY is required when NODE_ENV=production (the demo emulator never runs in production).');
    }
    // Imported only here: production never loads the emulator's code.
    const { startEmulator, DEMO_USERS } = await import('@workos-graphql-gateway/emulator');
    const emulator = await startEmulator({ port: 0 });
    const { hostname, port } = new URL(emulator.url);
    upstream = {
      ...config.workos,
      apiKey: emulator.apiKey,
      clientId: emulator.clientId,
      apiHostname: hostname,
      https: false,
      apiPort: Number(port),
    };
    closeEmulator = () => emulator.close();
    // A secret made for this run, so events (cache invalidation, subscriptions) work with no setup.
    const webhookSecret = config.workos.webhookSecret ?? randomBytes(32).toString('base64url');
    upstream.webhookSecret = webhookSecret;
    registerWebhook = (gatewayUrl) => {
      emulator.addWebhookEndpoint({ url: new URL(WEBHOOK_PATH, gatewayUrl).toString(), secret: webhookSecret });
    };
    banner = [
      `Upstream: local WorkOS emulator at ${emulator.url} (demo data; set WORKOS_API_KEY for real WorkOS)`,
      'Demo users (password sign-in):',
      ...DEMO_USERS.map((u) => `  ${u.email}  ${u.password}  (${u.role} of ${u.organizationName})`),
      ...demoTokenLines(await emulator.issueDemoAccessTokens()),
    ];
  }

  const gateway = createGateway({ ...config, workos: upstream });
  const url = await gateway.listen();
  registerWebhook?.(url);
  console.log(`WorkOS GraphQL gateway ready: ${url} (open it in a browser for GraphiQL)`);
  for (const line of banner) console.log(line);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing in-flight requests...`);
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    await gateway.close();
    await closeEmulator?.();
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** Ready tokens for the demo admin and a demo member: local mode needs no sign-in step to try the API. */
function demoTokenLines(tokens: { email: string; role: string | null; accessToken: string }[]): string[] {
  const picks = [tokens.find((t) => t.role === 'admin'), tokens.find((t) => t.role === 'member')].filter((t) => t !== undefined);
  return [
    'Demo access tokens (valid 12 h). In GraphiQL open Headers and paste {"Authorization": "Bearer <token>"}:',
    ...picks.flatMap((t) => [`  ${t.role} ${t.email}:`, `    ${t.accessToken}`]),
  ];
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `Failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
