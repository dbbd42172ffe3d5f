import type { Plugin } from 'graphql-yoga';
import type { CallerScopes } from '../transport/call-scope.ts';

const scopesOf = (context: unknown): CallerScopes | undefined => (context as { upstream?: CallerScopes }).upstream;

/**
 * Runs each operation's upstream calls in its caller's scope (src/transport/call-scope.ts): the
 * tenant, the client connection's signal and the request budget. A subscription's start runs in
 * one too; each event it then processes gets a fresh one (src/schema/events.ts).
 */
export function useUpstreamScope(): Plugin {
  return {
    onExecute({ executeFn, setExecuteFn, args }) {
      const scopes = scopesOf(args.contextValue);
      if (scopes) setExecuteFn((execArgs) => scopes.run(() => executeFn(execArgs)));
    },
    onSubscribe({ subscribeFn, setSubscribeFn, args }) {
      const scopes = scopesOf(args.contextValue);
      if (scopes) setSubscribeFn((subscribeArgs) => scopes.run(() => subscribeFn(subscribeArgs)));
    },
  };
}
