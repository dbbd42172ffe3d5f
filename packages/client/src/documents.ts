/**
 * `@workos-graphql-gateway/client/documents`: the typed documents, their result and variable
 * types, and the fetch-based client, without React. Safe in server code (e.g. a Next.js Server
 * Component or route handler) and with any GraphQL client.
 */
export * from './generated/graphql.ts';
export * from './gateway-client.ts';
export * from './errors.ts';
export * from './retry.ts';
