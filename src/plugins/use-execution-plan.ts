import type { ExecutionArgs } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { CallerScopes } from '../transport/call-scope.ts';

/** Starts an operation's known reads before execution; returns them (src/schema/plan.ts). */
export type Planner = (args: ExecutionArgs) => Promise<unknown>[];

/**
 * Gives execution its head start: the planner's reads begin, in the request's upstream scope,
 * as execution does; the answer goes out once every read started for it has settled, so no
 * call outlives its request (or escapes its count).
 */
export function useExecutionPlan(planner: Planner): Plugin {
  return {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn(async (execArgs) => {
        const scopes = (execArgs.contextValue as { upstream?: CallerScopes }).upstream;
        const started = scopes ? scopes.run(() => planner(execArgs)) : planner(execArgs);
        const result = await executeFn(execArgs);
        await Promise.all(started);
        return result;
      });
    },
  };
}
