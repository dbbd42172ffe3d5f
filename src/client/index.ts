/**
 * The gateway's typed client: `workos-graphql-gateway/client`.
 * Documents and types come from schema/operations/*.graphql (`npm run codegen`);
 * the hooks need react and @tanstack/react-query, `./client/documents` does not.
 */
export * from './documents.ts';
export * from './react.ts';
export * from './generated/hooks.ts';
