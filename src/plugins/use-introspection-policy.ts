import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import type { Plugin } from 'graphql-yoga';

/** Introspection when configured; in production for signed-in callers only. */
export function useIntrospectionPolicy({ enabled, production }: { enabled: boolean; production: boolean }): Plugin {
  return useDisableIntrospection({
    isDisabled: (request) => !enabled || (production && !request.headers.has('authorization')),
  });
}
