import { RATE_LIMIT_VARIABLES } from '../src/config/rate-limits.ts';
import { SELECT_ORGANIZATION, SIGN_IN } from '../test/kit/cookies.ts';
import { wavesOf, type TimedCall } from '../test/kit/waves.ts';
import { startLatencyRoutes } from './latency-routes.ts';
import { startRemoteEmulator, type RemoteEmulator } from './remote-emulator.ts';
import { remoteLoad } from './load-client.ts';
import { load, percentile, query, startGatewayFor, TOKENS } from './stack.ts';

/** What real WorkOS takes per call, give or take: every call is delayed by this much. */
export const LATENCY_MS = 80;

export interface LatencyRow {
  shape: string;
  minimum: { calls: number; waves: number };
  gateway: Contender;
  naive: Contender;
  route: Contender;
}

interface Contender {
  calls: number;
  waves: number;
  p50: number;
  p90: number;
}

export interface LatencyResult {
  latencyMs: number;
  rounds: number;
  rows: LatencyRow[];
  throughput: {
    shape: string;
    connections: number;
    requests: number;
    /** The client in the benchmark's own process (sharing the gateway's event loop). */
    rps: number;
    bound: number;
    share: number;
    /** The client in a process of its own (bench/load-client.ts): the gateway's loop is its own. */
    ownProcess?: { rps: number; share: number; p50: number; p90: number; errors: number };
  };
}

interface Shape {
  name: string;
  minimum: { calls: number; waves: number };
  gateway: () => Promise<unknown>;
  naive: () => Promise<unknown>;
  route: () => Promise<unknown>;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * Latency at the floor: every WorkOS call is delayed by 80 ms at the emulator (its fault
 * injection; the emulator runs in a process of its own and records when each call arrives
 * and ends), so what a screen waits for is its number of waves. Per shape: calls and waves for
 * the gateway, the naive baseline and a hand-written route using Promise.all wherever calls are
 * independent, the minimum calls and waves (from the seed), and p50/p90 over alternating rounds.
 */
export async function measureLatency(rounds = 20, throughputRequests = 600): Promise<LatencyResult> {
  const remote = await startRemoteEmulator(['--no-rate-limits', '--seed-users', '2100', '--seed-organizations', '20']);
  const limitsOff = Object.fromEntries(Object.values(RATE_LIMIT_VARIABLES).map((name) => [name, 'off']));
  const gateway = await startGatewayFor(remote, limitsOff);
  const naive = await startGatewayFor(remote, { ...limitsOff, GATEWAY_PLANNING: 'false', GATEWAY_COALESCE: 'false' });
  const routes = await startLatencyRoutes(remote);
  const rest = restOf(remote);

  // The seed, read before any delay: which objects each screen shows, and its minimum.
  const orgs = (await rest<{ data: { id: string; name: string }[] }>('/organizations?limit=100')).data;
  const acme = orgs.find((o) => o.name === 'Acme Corp')!;
  const membersOf = async (orgId: string, limit: number) =>
    (await rest<{ data: { user_id: string }[] }>(`/user_management/organization_memberships?organization_id=${orgId}&limit=${limit}`)).data;
  const directoriesOf = async (orgId: string) => (await rest<{ data: { id: string }[] }>(`/directories?organization_id=${orgId}&limit=3`)).data;
  const setupOrg = (await Promise.all(orgs.map(async (o) => ({ o, d: (await directoriesOf(o.id)).length })))).find((x) => x.d > 0)!;
  const firstTen = orgs.slice(0, 10);
  const dashboardUsers = new Set((await Promise.all(firstTen.map((o) => membersOf(o.id, 10)))).flat().map((m) => m.user_id));
  const profileUser = (await membersOf(acme.id, 100)).at(-1)!.user_id;
  const alice = await signIn(gateway.url, 'alice@acme.test', 'Password123!', acme.id);

  const members = `query($id: ID!) { organization(id: $id) { name memberships(first: 50) { edges { node { role { slug } user { email name } } } } } }`;
  const profile = `query($id: ID!) { user(id: $id) { email memberships(first: 10) { edges { node { organization { name } } } } } }`;
  const setup = `query($id: ID!) { organization(id: $id) { name ssoConnections(first: 10) { edges { node { name } } } directories(first: 3) { edges { node { name users(first: 10) { edges { node { email } } } groups(first: 10) { edges { node { name } } } } } } } }`;
  const dashboard = `{ organizations(first: 10) { edges { node { name memberships(first: 10) { edges { node { user { id organizations(first: 10) { edges { node { name } } } } } } } } } } }`;
  const get = async (path: string) => {
    const response = await fetch(`${routes.url}${path}`);
    if (response.status !== 200) throw new Error(`route ${path} answered ${response.status}`);
    return response.json();
  };
  const ask = (url: string, document: string, variables?: Record<string, unknown>, token?: string) => async () => {
    const { body } = await query(url, document, variables, token);
    if (body.errors) throw new Error(body.errors.map((e) => e.message).join('; '));
  };

  const shapes: Shape[] = [
    {
      name: 'organization + 50 members with user fields',
      minimum: { calls: 2, waves: 1 },
      gateway: ask(gateway.url, members, { id: acme.id }),
      naive: ask(naive.url, members, { id: acme.id }),
      route: () => get(`/members/${acme.id}`),
    },
    {
      name: 'the same members page, signed in as its admin',
      // Her memberships decide what she may see: one read more, in the same wave.
      minimum: { calls: 3, waves: 1 },
      gateway: ask(gateway.url, members, { id: acme.id }, alice),
      naive: ask(naive.url, members, { id: acme.id }, alice),
      route: () => get(`/members/${acme.id}`),
    },
    {
      name: 'user + their memberships + each organization’s name',
      minimum: { calls: 2, waves: 1 },
      gateway: ask(gateway.url, profile, { id: profileUser }),
      naive: ask(naive.url, profile, { id: profileUser }),
      route: () => get(`/profile/${profileUser}`),
    },
    {
      name: 'organization + SSO connections + directories with users and groups',
      minimum: { calls: 3 + 2 * setupOrg.d, waves: 2 },
      gateway: ask(gateway.url, setup, { id: setupOrg.o.id }),
      naive: ask(naive.url, setup, { id: setupOrg.o.id }),
      route: () => get(`/setup/${setupOrg.o.id}`),
    },
    {
      name: '10 organizations × 10 members × each member’s organizations',
      minimum: { calls: 1 + firstTen.length + dashboardUsers.size, waves: 3 },
      gateway: ask(gateway.url, dashboard),
      naive: ask(naive.url, dashboard),
      route: () => get('/dashboard'),
    },
  ];

  await remote.control('POST', '/faults', { path: '**', latencyMs: LATENCY_MS });
  const rows: LatencyRow[] = [];
  for (const shape of shapes) {
    const contenders = { gateway: shape.gateway, naive: shape.naive, route: shape.route };
    const shapeOf: Partial<Record<keyof typeof contenders, { calls: number; waves: number }>> = {};
    for (const [name, run] of Object.entries(contenders) as [keyof typeof contenders, () => Promise<unknown>][]) {
      await run(); // warm: key sets, connections
      await remote.control('POST', '/requests/reset');
      await run();
      const { log } = (await remote.control('GET', '/requests')) as { log: TimedCall[] };
      shapeOf[name] = { calls: log.length, waves: wavesOf(log) };
    }
    const times: Record<keyof typeof contenders, number[]> = { gateway: [], naive: [], route: [] };
    // Alternating rounds: machine noise falls on all three alike.
    for (let i = 0; i < rounds; i++) {
      for (const [name, run] of Object.entries(contenders) as [keyof typeof contenders, () => Promise<unknown>][]) {
        const start = performance.now();
        await run();
        times[name].push(performance.now() - start);
      }
    }
    const stat = (name: keyof typeof contenders): Contender => {
      const sorted = times[name].sort((a, b) => a - b);
      return { ...shapeOf[name]!, p50: round1(percentile(sorted, 50)), p90: round1(percentile(sorted, 90)) };
    };
    const row: LatencyRow = { shape: shape.name, minimum: shape.minimum, gateway: stat('gateway'), naive: stat('naive'), route: stat('route') };
    rows.push(row);
    console.log(
      `  ${shape.name.padEnd(70)} calls ${row.gateway.calls}/${row.minimum.calls} waves ${row.gateway.waves}/${row.minimum.waves}  p50 ${row.gateway.p50} / naive ${row.naive.p50} / route ${row.route.p50} ms`,
    );
  }

  // Throughput of the members page: 16 connections, each waiting ~80 ms per wave.
  const connections = 16;
  const run = shapes[0].gateway;
  await load(32, connections, run);
  const { throughput } = await load(throughputRequests, connections, run);
  const bound = connections / ((shapes[0].minimum.waves * LATENCY_MS) / 1000);
  const own = await remoteLoad({ url: gateway.url, token: TOKENS[0], document: members, variables: { id: acme.id }, connections, warmup: 32, total: throughputRequests });
  const result: LatencyResult = {
    latencyMs: LATENCY_MS,
    rounds,
    rows,
    throughput: {
      shape: shapes[0].name,
      connections,
      requests: throughputRequests,
      rps: round1(throughput),
      bound,
      share: round1((throughput / bound) * 100) / 100,
      ownProcess: { ...own, share: round1((own.rps / bound) * 100) / 100 },
    },
  };
  console.log(
    `  throughput of the members page at ${connections} connections: ${result.throughput.rps} req/s, client in its own process ${own.rps} req/s (latency bound ${bound}; ${Math.round(result.throughput.share * 100)}% / ${Math.round((own.rps / bound) * 100)}%)`,
  );

  await routes.close();
  await naive.gateway.close();
  await gateway.gateway.close();
  await remote.close();
  return result;
}

function restOf(remote: RemoteEmulator) {
  return async <T>(path: string): Promise<T> => {
    const response = await fetch(`${remote.url}${path}`, { headers: { authorization: `Bearer ${remote.apiKey}` } });
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    return (await response.json()) as T;
  };
}

/** A signed-in user's access token, through the gateway's own sign-in. */
interface SignInResult {
  __typename: string;
  accessToken?: string;
  pendingAuthenticationToken?: string;
  organizations?: { id: string }[];
}

async function signIn(url: string, email: string, password: string, organizationId?: string): Promise<string> {
  const { body } = await query(url, SIGN_IN, { email, password });
  let result = body.data?.signInWithPassword as SignInResult | undefined;
  // A member of several organizations picks one: her first, where she is admin.
  if (result?.__typename === 'OrganizationSelectionRequiredError') {
    const picked = await query(url, SELECT_ORGANIZATION, { token: result.pendingAuthenticationToken, org: organizationId ?? result.organizations![0].id });
    result = picked.body.data?.signInWithOrganizationSelection as SignInResult | undefined;
  }
  if (!result?.accessToken) throw new Error(`sign-in of ${email}: ${result?.__typename ?? JSON.stringify(body.errors)}`);
  return result.accessToken;
}
