/**
 * `@workos-graphql-gateway/client/codegen`: the graphql-codegen plugin that writes one hook per
 * operation (`plugins: ['@workos-graphql-gateway/client/codegen']`). JavaScript, Node 20+.
 */
export { plugin, type DocumentFile, type HooksPluginConfig } from './hooks-plugin.ts';
