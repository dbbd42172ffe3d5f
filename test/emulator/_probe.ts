import { checkResponse } from './spec-validator.ts';
import { startEmulator } from '../../src/emulator/server.ts';
const t = performance.now();
const em = await startEmulator();
const h = { authorization: `Bearer ${em.apiKey}` };
for (const p of ['/organizations', '/user_management/users', `/user_management/organization_memberships?organization_id=${[...em.store.organizations.keys()][0]}`, `/directory_users?directory=${[...em.store.directories.keys()][0]}`, `/directory_groups?directory=${[...em.store.directories.keys()][0]}`, '/directories', '/connections', '/organizations/org_x']) {
  const r = await fetch(em.url + p, { headers: h });
  console.log(p, r.status, JSON.stringify(checkResponse('GET', new URL(em.url + p).pathname, r.status, await r.json())));
}
console.log(performance.now() - t);
await em.close();
