import { startBaselineRoutes } from './baseline-route.ts';
import { load, percentile, query } from './stack.ts';

export interface OverheadRow {
  shape: string;
  concurrency: number;
  requests: number;
  gateway: { p50: number; p99: number; rps: number };
  direct: { p50: number; p99: number; rps: number };
  /** Gateway p50 / hand-written route p50: 1.0 = no overhead. */
  ratio: number;
}

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * The gateway against the same data fetched with direct SDK calls in a hand-written backend
 * route, over the same HTTP hop, measured side by side in one run (alternating rounds, so
 * machine noise hits both).
 */
export async function measureOverhead(upstream: { url: string; apiKey: string }, url: string, orgs: string[]): Promise<OverheadRow[]> {
  const baseline = await startBaselineRoutes(upstream);
  const get = async (path: string) => {
    const response = await fetch(`${baseline.url}${path}`);
    if (response.status !== 200) throw new Error(`baseline route answered ${response.status}`);
    return response.json();
  };

  const shapes = {
    'single object': {
      gateway: (i: number) => query(url, `query($id: ID!) { organization(id: $id) { id name } }`, { id: orgs[i % orgs.length] }),
      direct: (i: number) => get(`/orgs/${orgs[i % orgs.length]}`),
    },
    'nested (org + 20 members with emails)': {
      gateway: (i: number) =>
        query(url, `query($id: ID!) { organization(id: $id) { name memberships(first: 20) { edges { node { role { slug } user { email } } } } } }`, {
          id: orgs[i % orgs.length],
        }),
      direct: (i: number) => get(`/orgs/${orgs[i % orgs.length]}/members`),
    },
  };

  const rows: OverheadRow[] = [];
  for (const [shape, fns] of Object.entries(shapes)) {
    for (const concurrency of [1, 32]) {
      const requests = concurrency === 1 ? 300 : 1200;
      // Warm-up, then two alternating rounds of each so neither side always runs first.
      await load(50, concurrency, fns.gateway);
      await load(50, concurrency, fns.direct);
      const g: number[] = [];
      const d: number[] = [];
      let gMs = 0;
      let dMs = 0;
      for (let round = 0; round < 2; round++) {
        const a = await load(requests / 2, concurrency, fns.gateway);
        const b = await load(requests / 2, concurrency, fns.direct);
        g.push(...a.latencies);
        d.push(...b.latencies);
        gMs += a.wallMs;
        dMs += b.wallMs;
      }
      g.sort((x, y) => x - y);
      d.sort((x, y) => x - y);
      const gateway = { p50: round(percentile(g, 50)), p99: round(percentile(g, 99)), rps: round((requests / gMs) * 1000) };
      const direct = { p50: round(percentile(d, 50)), p99: round(percentile(d, 99)), rps: round((requests / dMs) * 1000) };
      rows.push({ shape, concurrency, requests, gateway, direct, ratio: round(gateway.p50 / direct.p50) });
    }
  }
  await baseline.close();
  return rows;
}
