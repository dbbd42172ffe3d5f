import { startRedis, type RedisServer } from '../test/kit/redis.ts';
import { startRemoteEmulator } from './remote-emulator.ts';
import { percentile, query, startGatewayFor, TOKENS } from './stack.ts';

export interface BudgetResult {
  /** Gateway instances the load was spread over (two share their buckets through Redis). */
  instances: number;
  budgetPerSecond: number;
  offeredPerSecond: number;
  seconds: number;
  queries: number;
  clientErrors: number;
  upstream429s: number;
  totalSeconds: number;
  minimumSeconds: number;
  /** totalSeconds / minimumSeconds: 1.0 = the budget spent perfectly. */
  timeRatio: number;
  smallTenant: { queries: number; p50: number; p99: number; max: number };
}

/**
 * WorkOS' limit lowered to `budget` calls/s at the emulator (and told to the gateway), then
 * three times that offered for `seconds` by two tenants: a large one flooding and a small one
 * asking a little. Every query costs one upstream call. With two instances the queries alternate
 * between them, and they share one budget through a real redis-server on loopback.
 */
export async function measureBudget(budget = 30, seconds = 20, instances: 1 | 2 = 1): Promise<BudgetResult> {
  const em = await startRemoteEmulator();
  await em.control('PUT', '/rate-limits', { general: { limit: budget, windowMs: 1000 } });
  const { data } = (await listOrganizationIds(em.url, em.apiKey)) as { data: { id: string }[] };
  const redis: RedisServer | undefined = instances > 1 ? await startRedis() : undefined;
  const gateways = await Promise.all(
    Array.from({ length: instances }, () =>
      startGatewayFor(em, {
        GATEWAY_RATE_GENERAL: `${budget}/1s`,
        GATEWAY_REQUEST_BUDGET_MS: String((seconds * 3 + 30) * 1000),
        GATEWAY_COALESCE: 'false',
        ...(redis ? { REDIS_URL: redis.url, GATEWAY_INSTANCES: String(instances) } : {}),
      }),
    ),
  );
  const orgs = data.map((o) => o.id);
  await em.control('POST', '/requests/reset');
  const offered = budget * 3;
  // The small tenant asks for 1/18 of what is offered (5 of 90 queries a second).
  const smallPerSecond = Math.max(1, Math.round(offered / 18));
  const doc = `query($id: ID!) { organization(id: $id) { id } }`;
  let clientErrors = 0;
  const small: number[] = [];
  const inflight: Promise<void>[] = [];
  const t0 = performance.now();
  for (let tick = 0; tick < seconds * 10; tick++) {
    // Offer a tenth of a second's worth each 100 ms: mostly the large tenant.
    for (let i = 0; i < offered / 10; i++) {
      const isSmall = i === 0 && tick % 10 < smallPerSecond;
      const start = performance.now();
      const { url } = gateways[(tick * 10 + i) % gateways.length];
      inflight.push(
        query(url, doc, { id: orgs[(tick * 7 + i) % orgs.length] }, isSmall ? TOKENS[1] : TOKENS[0]).then(({ body }) => {
          if (body.errors) clientErrors += 1;
          if (isSmall) small.push(performance.now() - start);
        }),
      );
    }
    await new Promise((r) => setTimeout(r, Math.max(0, t0 + (tick + 1) * 100 - performance.now())));
  }
  await Promise.all(inflight);
  const totalSeconds = (performance.now() - t0) / 1000;
  const seen = (await em.control('GET', '/requests')) as { log: { status: number }[] };
  const upstream429s = seen.log.filter((r) => r.status === 429).length;
  const queries = inflight.length;
  await Promise.all(gateways.map(({ gateway }) => gateway.close()));
  await redis?.stop();
  await em.close();
  small.sort((a, b) => a - b);
  // The first window's worth goes at once; every further call waits its turn in the budget.
  const minimumSeconds = (queries - budget) / budget;
  return {
    instances,
    budgetPerSecond: budget,
    offeredPerSecond: offered,
    seconds,
    queries,
    clientErrors,
    upstream429s,
    totalSeconds: Math.round(totalSeconds * 100) / 100,
    minimumSeconds: Math.round(minimumSeconds * 100) / 100,
    timeRatio: Math.round((totalSeconds / minimumSeconds) * 1000) / 1000,
    smallTenant: {
      queries: small.length,
      p50: Math.round(percentile(small, 50)),
      p99: Math.round(percentile(small, 99)),
      max: Math.round(small.at(-1) ?? 0),
    },
  };
}

/** The organization ids to ask for, read straight from the emulator. */
async function listOrganizationIds(url: string, apiKey: string): Promise<unknown> {
  const response = await fetch(`${url}/organizations?limit=100`, { headers: { authorization: `Bearer ${apiKey}` } });
  return response.json();
}
