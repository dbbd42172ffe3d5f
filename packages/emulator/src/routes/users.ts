import type { EmulatorContext, RouteModule } from '../context.ts';
import { idempotency } from '../idempotency.ts';
import { badRequest, notFound } from '../errors.ts';
import { BodyReader, checkMetadata, mergeMetadata, isEmail, readJsonObject } from '../body.ts';
import { paginate, parsePageParams } from '../pagination.ts';
import type { UserRecord } from '../store.ts';

const MIN_PASSWORD = 8;

function getUser(ctx: EmulatorContext, id: string): UserRecord {
  const user = ctx.store.users.get(id);
  if (!user) throw notFound('User', id);
  return user;
}

const findByEmail = (ctx: EmulatorContext, email: string) =>
  [...ctx.store.users.values()].find((u) => u.email === email.toLowerCase());

function externalIdTaken(ctx: EmulatorContext, externalId: string | null | undefined, selfId?: string): boolean {
  if (!externalId) return false;
  return [...ctx.store.users.values()].some((u) => u.id !== selfId && u.external_id === externalId);
}

const weakPassword = (p: string) => p.length < MIN_PASSWORD;

const passwordStrengthError = () =>
  badRequest('password_strength_error', 'Password does not meet strength requirements.', {
    errors: [{ code: 'password_too_short', message: `Password must be at least ${MIN_PASSWORD} characters.` }],
  });

/** Reads the fields POST and PUT share; `creating` makes email required. */
function readUserFields(r: BodyReader, creating: boolean) {
  const email = creating ? r.string('email', { required: true, max: 320 }) : r.string('email', { max: 320 });
  if (email !== undefined && !isEmail(email)) r.fail('email', 'invalid_email');
  const fields = {
    email: email?.toLowerCase(),
    password: r.string('password', { max: 1024 }),
    passwordHash: r.string('password_hash'),
    firstName: r.nullableString('first_name', 255),
    lastName: r.nullableString('last_name', 255),
    emailVerified: r.boolean('email_verified'),
    externalId: r.nullableString('external_id', 128),
    metadata: r.object('metadata'),
    locale: creating ? undefined : r.nullableString('locale', 35),
  };
  r.done();
  if (fields.password !== undefined && fields.passwordHash !== undefined) {
    throw badRequest('password_and_password_hash_provided', 'Provide either password or password_hash, not both.');
  }
  return fields;
}

const users: RouteModule = (app, ctx) => {
  app.get('/user_management/users', (c) => {
    const q = new URL(c.req.url).searchParams;
    const page = parsePageParams(q);
    const email = q.get('email')?.toLowerCase();
    const orgId = q.get('organization_id') || q.get('organization');
    let items = [...ctx.store.users.values()];
    if (email) items = items.filter((u) => u.email === email);
    if (orgId) {
      const members = new Set<string>();
      for (const m of ctx.store.memberships.values()) if (m.organization_id === orgId) members.add(m.user_id);
      items = items.filter((u) => members.has(u.id));
    }
    return c.json(paginate(items, page));
  });

  app.get('/user_management/users/external_id/:external_id', (c) => {
    const externalId = c.req.param('external_id');
    const user = [...ctx.store.users.values()].find((u) => u.external_id === externalId);
    if (!user) throw notFound('User', externalId);
    return c.json(user);
  });

  app.get('/user_management/users/:id', (c) => c.json(getUser(ctx, c.req.param('id'))));

  app.post('/user_management/users', idempotency(ctx), async (c) => {
    const f = readUserFields(new BodyReader(await readJsonObject(c)), true);
    const metadata = checkMetadata(f.metadata);
    const email = f.email as string;
    if (f.password !== undefined && weakPassword(f.password)) throw passwordStrengthError();
    // Checks and insert run without an await in between, so concurrent creates cannot both win.
    if (findByEmail(ctx, email)) {
      throw badRequest('user_creation_error', 'Could not create user.', {
        errors: [{ code: 'email_not_available', message: `The email ${email} is not available.` }],
      });
    }
    if (externalIdTaken(ctx, f.externalId)) {
      throw badRequest('external_id_already_used', `A user with external ID '${f.externalId}' already exists.`);
    }
    const at = ctx.now().toISOString();
    const user: UserRecord = {
      object: 'user',
      id: ctx.ids.make('user'),
      email,
      email_verified: f.emailVerified ?? false,
      first_name: f.firstName ?? null,
      last_name: f.lastName ?? null,
      profile_picture_url: null,
      external_id: f.externalId ?? null,
      last_sign_in_at: null,
      metadata,
      locale: null,
      created_at: at,
      updated_at: at,
    };
    ctx.store.users.set(user.id, user);
    if (f.password !== undefined) ctx.store.auth.passwords.set(user.id, f.password);
    ctx.emit('user.created', { ...user });
    return c.json(user, 201);
  });

  app.put('/user_management/users/:id', async (c) => {
    const user = getUser(ctx, c.req.param('id'));
    const f = readUserFields(new BodyReader(await readJsonObject(c)), false);
    const metadata = mergeMetadata(user.metadata, f.metadata);
    if (f.password !== undefined && weakPassword(f.password)) throw passwordStrengthError();
    if (f.email && f.email !== user.email && findByEmail(ctx, f.email)) {
      throw badRequest('email_not_available', `The email ${f.email} is not available.`);
    }
    if (externalIdTaken(ctx, f.externalId, user.id)) {
      throw badRequest('external_id_already_used', `A user with external ID '${f.externalId}' already exists.`);
    }
    const emailChanged = f.email !== undefined && f.email !== user.email;
    const updated: UserRecord = {
      ...user,
      email: f.email ?? user.email,
      // A new address is unverified unless the caller says otherwise.
      email_verified: f.emailVerified ?? (emailChanged ? false : user.email_verified),
      first_name: f.firstName === undefined ? user.first_name : f.firstName,
      last_name: f.lastName === undefined ? user.last_name : f.lastName,
      external_id: f.externalId === undefined ? user.external_id : f.externalId,
      metadata,
      locale: f.locale === undefined ? user.locale : f.locale,
      updated_at: ctx.now().toISOString(),
    };
    ctx.store.users.set(user.id, updated);
    if (f.password !== undefined) ctx.store.auth.passwords.set(user.id, f.password);
    ctx.emit('user.updated', { ...updated });
    return c.json(updated);
  });

  app.delete('/user_management/users/:id', (c) => {
    const user = getUser(ctx, c.req.param('id'));
    for (const [id, m] of ctx.store.memberships) {
      if (m.user_id !== user.id) continue;
      ctx.store.memberships.delete(id);
      ctx.emit('organization_membership.deleted', { ...m });
    }
    ctx.store.users.delete(user.id);
    ctx.store.auth.passwords.delete(user.id);
    // Their sessions and factors go with them.
    for (const [id, s] of ctx.store.sessions) if (s.user_id === user.id) ctx.store.sessions.delete(id);
    for (const [token, r] of ctx.store.auth.refreshTokens) if (r.userId === user.id) ctx.store.auth.refreshTokens.delete(token);
    for (const [id, f] of ctx.store.auth.authFactors) if (f.userId === user.id) ctx.store.auth.authFactors.delete(id);
    ctx.emit('user.deleted', { ...user });
    return c.body(null, 200);
  });
};

export default users;
