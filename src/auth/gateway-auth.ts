import type { WorkOS } from '@workos-inc/node';
import type { GatewayConfig } from '../config/index.ts';
import type { WorkOSLoaders } from '../data/loaders.ts';
import { AccessTokenVerifier } from './access-tokens.ts';
import { Access } from './access.ts';
import { Authenticator } from './authenticate.ts';
import type { Caller } from './caller.ts';
import { defaultIssuers } from '../config/security.ts';
import { ExportOwners } from './export-owners.ts';
import { ServiceTokens } from './service-tokens.ts';
import { SignIn } from './sign-in.ts';
import { SignInLimits } from './sign-in-limits.ts';

export interface RequestAuth {
  caller: Caller;
  access: Access;
  signIn: SignIn;
}

/**
 * The gateway-wide parts of authentication (key set cache, service token hashes, sign-in
 * limits, export owners), and the per-request parts made from them.
 */
export class GatewayAuth {
  readonly exportOwners = new ExportOwners();
  private readonly authenticator: Authenticator;
  private readonly signInLimits: SignInLimits;
  /** The AuthKit key set (for readiness); undefined without a client id. */
  readonly keys: { load(): Promise<void>; loaded(): boolean } | undefined;

  constructor(
    config: Pick<GatewayConfig, 'workos' | 'security'>,
    private readonly workos: WorkOS,
    /** The upstream queue's fetch: key set downloads go through the one door to WorkOS. */
    upstreamFetch: (url: string, init: RequestInit) => Promise<Response>,
  ) {
    const { workos: w, security } = config;
    const base = `${w.https ? 'https' : 'http'}://${w.apiHostname}${w.apiPort ? `:${w.apiPort}` : ''}`;
    // Without a client id there is no key set to check AuthKit tokens against: service tokens only.
    const verifier = w.clientId
      ? new AccessTokenVerifier({
          jwksUrl: new URL(`${base}/sso/jwks/${encodeURIComponent(w.clientId)}`),
          issuers: security.issuers ?? defaultIssuers(base, w.clientId),
          fetch: upstreamFetch,
        })
      : undefined;
    this.keys = verifier ? { load: () => verifier.loadKeys(), loaded: () => verifier.keysLoaded() } : undefined;
    this.authenticator = new Authenticator(new ServiceTokens(security.serviceTokenHashes), verifier);
    this.signInLimits = new SignInLimits(security.signIn);
  }

  async forRequest(request: Request, clientAddress: string, loaders: WorkOSLoaders): Promise<RequestAuth> {
    const caller = await this.authenticator.callerOf(request.headers.get('authorization'));
    return {
      caller,
      access: new Access(caller, loaders, this.exportOwners),
      signIn: new SignIn(this.workos, loaders, this.signInLimits, {
        ipAddress: clientAddress,
        userAgent: request.headers.get('user-agent') ?? undefined,
      }),
    };
  }
}
