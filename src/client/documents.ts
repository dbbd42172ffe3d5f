/** Typed documents, their result and variable types, and a fetch-based client: no React needed. */
export * from './generated/graphql.ts';
export * from './gateway-client.ts';
