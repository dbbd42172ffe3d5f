/**
 * Expected ways a sign-in does not (yet) succeed, returned as typed results so a sign-in form
 * can switch on __typename. Messages are the same whatever was wrong (unknown email, wrong
 * password, used code), so they cannot be used to find out which accounts exist.
 */
export class InvalidCredentialsError extends Error {
  override name = 'InvalidCredentialsError';
  constructor(message = 'Invalid credentials.') {
    super(message);
  }
}

export class EmailVerificationRequiredError extends Error {
  override name = 'EmailVerificationRequiredError';
  constructor(
    readonly pendingAuthenticationToken: string,
    readonly email: string | null,
  ) {
    super('Verify the email address: enter the code sent to it with verifyEmail.');
  }
}

export interface AuthenticationFactorSummary {
  id: string;
  type: string;
  /** Known when the factor comes from the user's factor list (not from a sign-in step). */
  createdAt?: string;
  totp?: { issuer: string; user: string };
}

export class MfaChallengeRequiredError extends Error {
  override name = 'MfaChallengeRequiredError';
  constructor(
    readonly pendingAuthenticationToken: string,
    /** Challenge of the user's first TOTP factor, made by the gateway; null when there is none. */
    readonly authenticationChallengeId: string | null,
    readonly factors: AuthenticationFactorSummary[],
  ) {
    super('Enter the code from the authenticator app with signInWithTotp.');
  }
}

export class TooManyAttemptsError extends Error {
  override name = 'TooManyAttemptsError';
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many attempts; try again in ${retryAfterSeconds} s.`);
  }
}

/** One of the organizations a signing-in user may pick. */
export interface SignInOrganization {
  id: string;
  name: string;
}

export class OrganizationSelectionRequiredError extends Error {
  override name = 'OrganizationSelectionRequiredError';
  constructor(
    readonly pendingAuthenticationToken: string,
    readonly organizations: SignInOrganization[],
  ) {
    super('Choose the organization to sign in to, then call signInWithOrganizationSelection.');
  }
}

export class SsoRequiredError extends Error {
  override name = 'SsoRequiredError';
  constructor(
    readonly email: string | null,
    /** The SSO connections to sign in through (pass one to authorizationUrl as connectionId). */
    readonly connectionIds: string[],
  ) {
    super('This account signs in through SSO: start a hosted sign-in with authorizationUrl.');
  }
}

/** The TOTP factor the gateway enrolled for a sign-in that requires MFA, and the challenge to answer. */
export interface EnrolledTotp {
  authenticationFactorId: string;
  authenticationChallengeId: string;
  /** Base32 secret, its otpauth:// URI and a QR code of it, for the user's authenticator app. */
  secret: string;
  uri: string;
  qrCode: string;
}

export class MfaEnrollmentRequiredError extends Error {
  override name = 'MfaEnrollmentRequiredError';
  constructor(
    readonly pendingAuthenticationToken: string,
    readonly totp: EnrolledTotp,
  ) {
    super('Add the authenticator app with the secret or QR code, then enter its code with signInWithTotp.');
  }
}
