import {
  AuthenticationException,
  BadRequestException,
  GenericServerException,
  OauthException,
  RateLimitExceededException,
  NotFoundException,
  type AuthenticationResponse,
  type User,
  type UserManagementAuthorizationURLOptions,
  type WorkOS,
} from '@workos-inc/node';
import type { WorkOSLoaders } from '../data/loaders.ts';
import { asMutationError, tooManyAttempts } from '../errors/upstream.ts';
import {
  EmailVerificationRequiredError,
  InvalidCredentialsError,
  MfaChallengeRequiredError,
  MfaEnrollmentRequiredError,
  OrganizationSelectionRequiredError,
  SsoRequiredError,
  TooManyAttemptsError,
  type AuthenticationFactorSummary,
  type SignInOrganization,
} from '../errors/sign-in.ts';
import { report, type SignInRefusal } from '../observability/request-record.ts';
import { ValidationError } from '../errors/mutation.ts';
import type { SignInLimits } from './sign-in-limits.ts';

/** Where the attempt comes from: limits count per address, and WorkOS Radar sees it too. */
export interface SignInClient {
  ipAddress: string;
  userAgent: string | undefined;
}

/** The word the sign-in refusal counter and log line use. */
const refusalOf = (error: Error): SignInRefusal | undefined =>
  error instanceof InvalidCredentialsError ? 'invalid_credentials' : error instanceof TooManyAttemptsError ? 'upstream_rate_limited' : undefined;

/** OAuth errors that mean the gateway's own client settings are wrong: an operator problem. */
const CLIENT_ERRORS = new Set(['invalid_client', 'unauthorized_client']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * Sign-in through WorkOS AuthKit (`userManagement.authenticateWith*`, `createMagicAuth`). Each
 * attempt first spends from the gateway's limits, so a brute force stops here and never
 * reaches WorkOS; WorkOS' answers become typed results (pending steps, invalid credentials).
 */
export class SignIn {
  constructor(
    private readonly workos: WorkOS,
    private readonly loaders: WorkOSLoaders,
    private readonly limits: SignInLimits,
    private readonly client: SignInClient,
    /** Told of every sign-in that succeeded, before it is answered (cookie mode: the session cookie). */
    private readonly signedIn: (response: AuthenticationResponse) => Promise<unknown> = async () => {},
  ) {}

  withPassword(email: string, password: string) {
    return this.attempt(email, () => this.workos.userManagement.authenticateWithPassword({ email, password, ...this.origin() }));
  }

  withCode(code: string, codeVerifier?: string) {
    return this.attempt(undefined, () => this.workos.userManagement.authenticateWithCode({ code, codeVerifier, ...this.origin() }));
  }

  withMagicAuth(email: string, code: string) {
    return this.attempt(email, () => this.workos.userManagement.authenticateWithMagicAuth({ email, code, ...this.origin() }));
  }

  withRefreshToken(refreshToken: string, organizationId?: string) {
    return this.attempt(undefined, () =>
      this.workos.userManagement.authenticateWithRefreshToken({ refreshToken, organizationId, ...this.origin() }),
    );
  }

  withEmailVerification(pendingAuthenticationToken: string, code: string) {
    return this.attempt(`pending:${pendingAuthenticationToken}`, () =>
      this.workos.userManagement.authenticateWithEmailVerification({ pendingAuthenticationToken, code, ...this.origin() }),
    );
  }

  withTotp(pendingAuthenticationToken: string, authenticationChallengeId: string, code: string) {
    return this.attempt(`pending:${pendingAuthenticationToken}`, () =>
      this.workos.userManagement.authenticateWithTotp({ pendingAuthenticationToken, authenticationChallengeId, code, ...this.origin() }),
    );
  }

  withOrganizationSelection(pendingAuthenticationToken: string, organizationId: string) {
    return this.attempt(`pending:${pendingAuthenticationToken}`, () =>
      this.workos.userManagement.authenticateWithOrganizationSelection({ pendingAuthenticationToken, organizationId, ...this.origin() }),
    );
  }

  /**
   * Sets a new password with the token of a reset email, behind the same limits as sign-in (per
   * address, and per token). An unknown, used or expired token reads as invalid credentials; a
   * password WorkOS refuses is a ValidationError on newPassword.
   */
  async resetPassword(token: string, newPassword: string): Promise<User> {
    const account = `reset:${token}`;
    await this.limits.consume(this.client.ipAddress, account);
    try {
      const { user } = await this.workos.userManagement.resetPassword({ token, newPassword });
      await this.limits.succeeded(this.client.ipAddress, account);
      this.loaders.user.clear(user.id).prime(user.id, user);
      return user;
    } catch (error) {
      if (error instanceof RateLimitExceededException) throw new TooManyAttemptsError(error.retryAfter ?? 60);
      if (error instanceof NotFoundException) throw new InvalidCredentialsError('The reset link is invalid or has expired.');
      if (error instanceof BadRequestException || (error instanceof GenericServerException && error.status === 400)) {
        const details = 'errors' in error && Array.isArray(error.errors) ? (error.errors as { code?: unknown; message?: unknown }[]) : [];
        if (details.some((d) => typeof d?.code === 'string' && d.code.includes('token'))) throw new InvalidCredentialsError('The reset link is invalid or has expired.');
        const messages = details.flatMap((d) => (typeof d?.message === 'string' ? [d.message] : []));
        throw new ValidationError(messages.join(' ') || error.message, [{ field: 'newPassword', message: messages.join(' ') || error.message }]);
      }
      throw asMutationError(error);
    }
  }

  /**
   * The URL of a hosted sign-in (AuthKit, an OAuth provider, or an organization's SSO) to send the
   * browser to; it comes back to `redirectUri` with a code for signInWithCode. Built here, no call.
   * With a PKCE `codeChallenge` (S256) the code exchange must bring its verifier.
   */
  authorizationUrl(
    options: Pick<UserManagementAuthorizationURLOptions, 'provider' | 'connectionId' | 'organizationId' | 'redirectUri' | 'state' | 'loginHint' | 'screenHint'> & { codeChallenge?: string },
  ): string {
    const { codeChallenge, ...rest } = options;
    return this.workos.userManagement.getAuthorizationUrl(codeChallenge ? { ...rest, codeChallenge, codeChallengeMethod: 'S256' } : rest);
  }

  /** Where to send the browser to end an AuthKit session (WorkOS then redirects to `returnTo`). Built here, no call. */
  signOutUrl(sessionId: string, returnTo?: string): string {
    return this.workos.userManagement.getLogoutUrl({ sessionId, returnTo });
  }

  /** Emails a one-time code; the code itself never comes back through the gateway. */
  async sendMagicAuthCode(email: string): Promise<{ email: string; expiresAt: string }> {
    await this.limits.consumeSend(this.client.ipAddress, email);
    try {
      const magic = await this.workos.userManagement.createMagicAuth({ email, ...this.origin() });
      return { email, expiresAt: magic.expiresAt };
    } catch (error) {
      throw tooManyAttempts(error) ?? asMutationError(error);
    }
  }

  private origin() {
    return { ipAddress: this.client.ipAddress, userAgent: this.client.userAgent };
  }

  private async attempt(account: string | undefined, run: () => Promise<AuthenticationResponse>): Promise<AuthenticationResponse> {
    await this.limits.consume(this.client.ipAddress, account);
    let response: AuthenticationResponse;
    try {
      response = await run();
    } catch (error) {
      const refused = await this.asSignInError(error);
      const reason = refusalOf(refused);
      // A pending step (email verification, MFA, organization selection) is not a refusal: the
      // credentials were right, so they count as no failure either.
      if (reason) report({ kind: 'sign_in_refused', reason });
      if (error instanceof AuthenticationException) await this.limits.succeeded(this.client.ipAddress, account);
      throw refused;
    }
    await this.limits.succeeded(this.client.ipAddress, account);
    this.loaders.user.clear(response.user.id).prime(response.user.id, response.user);
    await this.signedIn(response);
    return response;
  }

  private async asSignInError(error: unknown): Promise<Error> {
    if (error instanceof AuthenticationException) return this.pendingStep(error);
    const limited = tooManyAttempts(error);
    if (limited) return limited;
    if (error instanceof OauthException && error.status === 400 && !CLIENT_ERRORS.has(error.error ?? '')) {
      return new InvalidCredentialsError();
    }
    if (error instanceof BadRequestException || (error instanceof GenericServerException && error.status === 400)) {
      return new InvalidCredentialsError();
    }
    return asMutationError(error);
  }

  /** A 403 that asks for another step: the gateway hands the client what it needs for it. */
  private async pendingStep(error: AuthenticationException): Promise<Error> {
    const token = error.pendingAuthenticationToken;
    const raw: Record<string, unknown> = isObject(error.rawData) ? error.rawData : {};
    if (token && error.code === 'email_verification_required') {
      return new EmailVerificationRequiredError(token, typeof raw.email === 'string' ? raw.email : null);
    }
    if (token && error.code === 'mfa_challenge') {
      const factors: AuthenticationFactorSummary[] = (Array.isArray(raw.authentication_factors) ? raw.authentication_factors : [])
        .filter(isObject)
        .flatMap((f) => (typeof f.id === 'string' ? [{ id: f.id, type: typeof f.type === 'string' ? f.type : 'unknown' }] : []));
      const totp = factors.find((f) => f.type === 'totp');
      const challenge = totp ? await this.workos.multiFactorAuth.challengeFactor({ authenticationFactorId: totp.id }) : undefined;
      return new MfaChallengeRequiredError(token, challenge?.id ?? null, factors);
    }
    if (token && error.code === 'organization_selection_required') {
      const organizations: SignInOrganization[] = (Array.isArray(raw.organizations) ? raw.organizations : [])
        .filter(isObject)
        .flatMap((o) => (typeof o.id === 'string' ? [{ id: o.id, name: typeof o.name === 'string' ? o.name : o.id }] : []));
      return new OrganizationSelectionRequiredError(token, organizations);
    }
    if (error.code === 'sso_required') {
      const connectionIds = (Array.isArray(raw.connection_ids) ? raw.connection_ids : []).filter((id): id is string => typeof id === 'string');
      return new SsoRequiredError(typeof raw.email === 'string' ? raw.email : null, connectionIds);
    }
    const userId = isObject(raw.user) && typeof raw.user.id === 'string' ? raw.user.id : undefined;
    if (token && error.code === 'mfa_enrollment' && userId) {
      // The gateway enrolls the factor, as it opens the challenge above: the client shows the QR code and asks for a code.
      const { authenticationFactor, authenticationChallenge } = await this.workos.multiFactorAuth.createUserAuthFactor({ userId, type: 'totp' });
      return new MfaEnrollmentRequiredError(token, {
        authenticationFactorId: authenticationFactor.id,
        authenticationChallengeId: authenticationChallenge.id,
        secret: authenticationFactor.totp.secret,
        uri: authenticationFactor.totp.uri,
        qrCode: authenticationFactor.totp.qrCode,
      });
    }
    return new InvalidCredentialsError(`This account needs a sign-in step the gateway does not offer (${error.code}); use hosted AuthKit.`);
  }
}
