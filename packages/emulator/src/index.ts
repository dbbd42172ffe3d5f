/**
 * The public API of @workos-graphql-gateway/emulator: start an emulator, steer it from a test,
 * and mint what a test needs (access tokens, authorization codes, webhook signatures).
 * Everything else in this package is internal and may change without notice.
 */
export { startEmulator, DEFAULT_API_KEY, DEFAULT_CLIENT_ID, DEMO_USERS } from './server.ts';
export type { EmulatorOptions, EmulatorHandle, FaultSpec, SeedOptions, RequestLogEntry } from './server.ts';
export type { DemoUser, RateLimitConfig, WebhookEndpoint } from './context.ts';
export type { IdKind, IdPrefixes } from './ids.ts';
export type { AccessTokenOptions, AuthorizationCodeOptions, DemoAccessToken, PublicJwk } from './routes/authkit.ts';
export type {
  Store,
  OrganizationRecord,
  OrganizationDomainRecord,
  UserRecord,
  MembershipRecord,
  DirectoryRecord,
  DirectoryGroupRecord,
  DirectoryUserRecord,
  ConnectionRecord,
  AuditLogEventRecord,
  AuditLogExportRecord,
  EventRecord,
} from './store.ts';
export { signWebhook } from './webhooks.ts';
