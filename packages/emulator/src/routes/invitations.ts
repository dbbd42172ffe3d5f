import { randomBytes } from 'node:crypto';
import type { EmulatorContext, RouteModule } from '../context.ts';
import { ApiError, badRequest, notFound } from '../errors.ts';
import { BodyReader, isEmail, readJsonObject } from '../body.ts';
import { idempotency } from '../idempotency.ts';
import { membershipRecord } from '../membership-record.ts';
import { mapList, paginate, parsePageParams } from '../pagination.ts';
import { isRoleOf } from '../roles.ts';
import type { InvitationRecord, MembershipRecord } from '../store.ts';

/**
 * AuthKit invitations: send (POST /user_management/invitations), list, get, get by token, accept,
 * revoke and resend, in WorkOS' wire format and with its 400 codes.
 *
 * Choices where WorkOS leaves room:
 * - Invitations expire after `expires_in_days` (1 to 30, default 7); a pending one past its expiry
 *   reads as `expired` from then on.
 * - An invitation to an organization for an email that already has a user adds a `pending`
 *   membership at once (as AuthKit does); accepting makes it active, revoking removes it.
 * - No email leaves the emulator: each invitation email (sent and resent) is kept in `store.emails`
 *   with its accept URL and token, for a test to follow.
 * - The accept URL is `<emulator>/invite?invitation_token=<token>` (WorkOS uses the app's
 *   configured invitation URL).
 */

export const DEFAULT_EXPIRES_IN_DAYS = 7;
const MAX_EXPIRES_IN_DAYS = 30;
const DAY_MS = 24 * 3600_000;

const inviteToken = () => randomBytes(19).toString('base64url');

/** The wire form adds the accept URL, which carries the token. */
export const invitationWire = (ctx: Pick<EmulatorContext, 'config'>, i: InvitationRecord) => ({
  ...i,
  accept_invitation_url: `${ctx.config.baseUrl()}/invite?invitation_token=${encodeURIComponent(i.token)}`,
});

/** A pending invitation past its expiry is expired from now on. */
export function settleInvitation(ctx: Pick<EmulatorContext, 'now'>, invitation: InvitationRecord): InvitationRecord {
  if (invitation.state === 'pending' && Date.parse(invitation.expires_at) < ctx.now().getTime()) invitation.state = 'expired';
  return invitation;
}

function sendEmail(ctx: EmulatorContext, invitation: InvitationRecord): void {
  const org = invitation.organization_id ? ctx.store.organizations.get(invitation.organization_id) : undefined;
  ctx.store.emails.push({
    id: ctx.ids.ulid(),
    to: invitation.email,
    kind: 'invitation',
    subject: org ? `You have been invited to join ${org.name}` : 'You have been invited',
    url: invitationWire(ctx, invitation).accept_invitation_url,
    invitation_id: invitation.id,
    token: invitation.token,
    sent_at: ctx.now().toISOString(),
  });
}

const findUser = (ctx: EmulatorContext, email: string) => [...ctx.store.users.values()].find((u) => u.email.toLowerCase() === email.toLowerCase());

const membershipOf = (ctx: EmulatorContext, userId: string, orgId: string): MembershipRecord | undefined =>
  [...ctx.store.memberships.values()].find((m) => m.user_id === userId && m.organization_id === orgId);

const invitations: RouteModule = (app, ctx) => {
  const { store } = ctx;
  const get = (id: string) => {
    const invitation = store.invitations.get(id);
    if (!invitation) throw notFound('Invitation', id);
    return settleInvitation(ctx, invitation);
  };
  const changed = (invitation: InvitationRecord, event: string) => {
    invitation.updated_at = ctx.now().toISOString();
    const wire = invitationWire(ctx, invitation);
    // Events leave the token out: it is for the invitee's inbox.
    const { token: _token, accept_invitation_url: _url, ...announced } = wire;
    ctx.emit(event, announced);
    return wire;
  };

  app.get('/user_management/invitations', (c) => {
    const q = new URL(c.req.url).searchParams;
    const page = parsePageParams(q);
    const orgId = q.get('organization_id');
    const email = q.get('email')?.toLowerCase();
    const items = [...store.invitations.values()]
      .filter((i) => (!orgId || i.organization_id === orgId) && (!email || i.email.toLowerCase() === email))
      .map((i) => settleInvitation(ctx, i));
    return c.json(mapList(paginate(items, page), (i) => invitationWire(ctx, i)));
  });

  app.get('/user_management/invitations/by_token/:token', (c) => {
    const token = c.req.param('token');
    const invitation = [...store.invitations.values()].find((i) => i.token === token);
    if (!invitation) throw new ApiError(404, { message: 'Invitation not found.' });
    return c.json(invitationWire(ctx, settleInvitation(ctx, invitation)));
  });

  app.get('/user_management/invitations/:id', (c) => c.json(invitationWire(ctx, get(c.req.param('id')))));

  app.post('/user_management/invitations', idempotency(ctx), async (c) => {
    const r = new BodyReader(await readJsonObject(c));
    const email = r.string('email', { required: true, max: 320 });
    if (email !== undefined && !isEmail(email)) r.fail('email', 'invalid_email');
    const orgId = r.string('organization_id');
    const roleSlug = r.string('role_slug');
    const inviterId = r.string('inviter_user_id');
    r.string('locale');
    const expiresInDays = r.integer('expires_in_days') ?? DEFAULT_EXPIRES_IN_DAYS;
    r.done();
    if (expiresInDays < 1) throw badRequest('expires_in_days_too_short', 'expires_in_days must be at least 1.');
    if (expiresInDays > MAX_EXPIRES_IN_DAYS) throw badRequest('expires_in_days_too_long', `expires_in_days must be at most ${MAX_EXPIRES_IN_DAYS}.`);
    const org = orgId ? store.organizations.get(orgId) : undefined;
    if (orgId && !org) throw notFound('Organization', orgId);
    if (inviterId && !store.users.has(inviterId)) throw notFound('User', inviterId);
    if (roleSlug !== undefined && (!org || !isRoleOf(store, org.id, roleSlug))) throw badRequest('invalid_role', `Role '${roleSlug}' is not a valid role.`);

    const address = (email as string).toLowerCase();
    const existing = findUser(ctx, address);
    const pendingTwin = [...store.invitations.values()].find(
      (i) => settleInvitation(ctx, i).state === 'pending' && i.email.toLowerCase() === address && i.organization_id === (org?.id ?? null),
    );
    if (org) {
      const member = existing ? membershipOf(ctx, existing.id, org.id) : undefined;
      if (member && member.status !== 'pending') throw badRequest('user_already_organization_member', 'The user is already a member of the organization.');
      if (pendingTwin) throw badRequest('email_already_invited_to_organization', 'An invitation for this email is already pending for the organization.');
    } else {
      if (existing) throw badRequest('user_already_exists', 'A user with this email already exists.');
      if (pendingTwin) throw badRequest('email_already_invited', 'An invitation for this email is already pending.');
    }

    const now = ctx.now();
    const token = inviteToken();
    const invitation: InvitationRecord = {
      object: 'invitation',
      id: ctx.ids.make('invitation'),
      email: address,
      state: 'pending',
      accepted_at: null,
      revoked_at: null,
      expires_at: new Date(now.getTime() + expiresInDays * DAY_MS).toISOString(),
      organization_id: org?.id ?? null,
      inviter_user_id: inviterId ?? null,
      accepted_user_id: null,
      role_slug: roleSlug ?? null,
      token,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    store.invitations.set(invitation.id, invitation);
    // An existing user is a pending member from now on, as AuthKit does.
    if (org && existing && !membershipOf(ctx, existing.id, org.id)) {
      const m = membershipRecord(ctx.ids.make('membership'), now.toISOString(), existing, org, roleSlug ?? 'member', 'pending');
      store.memberships.set(m.id, m);
      ctx.emit('organization_membership.created', { ...m });
    }
    sendEmail(ctx, invitation);
    changed(invitation, 'invitation.created');
    return c.json(invitationWire(ctx, invitation), 201);
  });

  app.post('/user_management/invitations/:id/accept', (c) => {
    const invitation = get(c.req.param('id'));
    if (invitation.state !== 'pending') throw badRequest('invite_not_pending', `The invitation is ${invitation.state}.`);
    const user = findUser(ctx, invitation.email);
    if (!user) throw badRequest('invalid_invite', 'No user has the invitation’s email address yet: sign up first.');
    const at = ctx.now().toISOString();
    const org = invitation.organization_id ? store.organizations.get(invitation.organization_id) : undefined;
    if (org) {
      const role = invitation.role_slug ?? 'member';
      const member = membershipOf(ctx, user.id, org.id);
      if (!member) {
        const m = membershipRecord(ctx.ids.make('membership'), at, user, org, role, 'active');
        store.memberships.set(m.id, m);
        ctx.emit('organization_membership.created', { ...m });
      } else if (member.status === 'pending') {
        const m: MembershipRecord = { ...member, status: 'active', role: { slug: role }, roles: [{ slug: role }], updated_at: at };
        store.memberships.set(m.id, m);
        ctx.emit('organization_membership.updated', { ...m });
      }
    }
    invitation.state = 'accepted';
    invitation.accepted_at = at;
    invitation.accepted_user_id = user.id;
    return c.json(changed(invitation, 'invitation.accepted'));
  });

  app.post('/user_management/invitations/:id/revoke', (c) => {
    const invitation = get(c.req.param('id'));
    if (invitation.state !== 'pending') throw badRequest('invite_not_pending', `The invitation is ${invitation.state}.`);
    const user = findUser(ctx, invitation.email);
    const member = user && invitation.organization_id ? membershipOf(ctx, user.id, invitation.organization_id) : undefined;
    if (member?.status === 'pending') {
      store.memberships.delete(member.id);
      ctx.emit('organization_membership.deleted', { ...member });
    }
    invitation.state = 'revoked';
    invitation.revoked_at = ctx.now().toISOString();
    return c.json(changed(invitation, 'invitation.revoked'));
  });

  app.post('/user_management/invitations/:id/resend', async (c) => {
    const r = new BodyReader(await readJsonObject(c));
    r.string('locale');
    r.done();
    const invitation = get(c.req.param('id'));
    if (invitation.state === 'expired') throw badRequest('invite_expired', 'The invitation has expired.');
    if (invitation.state === 'revoked') throw badRequest('invite_revoked', 'The invitation was revoked.');
    if (invitation.state === 'accepted') throw badRequest('invite_accepted', 'The invitation was already accepted.');
    sendEmail(ctx, invitation);
    return c.json(changed(invitation, 'invitation.resent'));
  });
};

export default invitations;
