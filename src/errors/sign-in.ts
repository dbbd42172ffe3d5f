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
