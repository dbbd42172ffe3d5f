import type { Plugin } from 'graphql-yoga';
import { runInScope, type CallScope } from '../transport/call-scope.ts';

/** What this plugin reads of the context: the scope the context factory made for the request. */
export interface ScopedContext {
  upstreamScope?: CallScope;
}

/**
 * Runs each operation's upstream calls in its request's scope (its signal, deadline, tenant and
 * call counter): the SDK takes no per-call options, so the scope travels by async context.
 */
export function useUpstreamScope(): Plugin {
  return {
    onExecute({ executeFn, setExecuteFn, args }) {
      const scope = (args.contextValue as ScopedContext).upstreamScope;
      if (scope) setExecuteFn((execArgs) => runInScope(scope, () => executeFn(execArgs)));
    },
  };
}
