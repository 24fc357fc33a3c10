export type { Argon2idOptions } from "./accounts/argon2-hasher.js";
export { argon2idHasher } from "./accounts/argon2-hasher.js";
export type { Me } from "./accounts/me.js";
export type { User } from "./accounts/public-user.js";
export type { SigninInput, SigninResult } from "./accounts/signin.js";
export type { SignupInput, SignupResult } from "./accounts/signup.js";
export { VERIFICATION_TOKEN_BITS } from "./accounts/verification-tokens.js";
export type { ListAllOrganizationsOptions, OrganizationPage } from "./admin/organizations.js";
export type { AdminUserPage, ImpersonationToken, ListUsersOptions } from "./admin/users.js";
export { IMPERSONATION_TTL_SECONDS } from "./admin/users.js";
export type { ApiKeyPrincipal } from "./api-keys/api-key-principal.js";
export type { ApiKey, CreateApiKeyInput, IssuedApiKey } from "./api-keys/api-keys.js";
export type {
  AuditEvent,
  AuditEventBase,
  AuditEventData,
  AuditEventType,
} from "./audit/events.js";
export { AUDIT_EVENT_TYPES } from "./audit/events.js";
export type { AuditPage, AuditScope, ListAuditOptions } from "./audit/list.js";
export type { Auth, SigninFunction } from "./auth.js";
export { createAuth } from "./create-auth.js";
export type { AuthErrorCode, AuthErrorOptions } from "./errors.js";
export { AuthError, ConfigError, ERROR_CODES, isAuthError } from "./errors.js";
export type { TrustProxy } from "./http/client-ip.js";
export { canonicalIp, clientIp } from "./http/client-ip.js";
export type { DocsAssets } from "./http/docs.js";
export type {
  HandlerContext,
  HttpHandler,
  HttpHandlerOptions,
  HttpInput,
  HttpReply,
  NodeRequestHeaders,
} from "./http/handler.js";
export { bearerToken, createHttpHandler, errorResponse, nodeHeaderReader } from "./http/handler.js";
export type { NodeRequestBody } from "./http/node-body.js";
export { drainNodeBody, nodeBodyStream } from "./http/node-body.js";
export { buildOpenApiDocument } from "./http/openapi.js";
export type { HttpMethod, Route, RouteDefinition } from "./http/route.js";
export { routes } from "./http/routes.js";
export type { UrlParts } from "./http/url.js";
export { requestTarget } from "./http/url.js";
export { freeFormJsonObject, MAX_JSON_BYTES, MAX_JSON_DEPTH } from "./internal/free-form-json.js";
export type { SafeErrorFields } from "./internal/safe-error.js";
export { logError, SafeError, safeCodeOf, safeErrorFields } from "./internal/safe-error.js";
export type { InputIssue } from "./internal/validate.js";
export type { DeliveryReport } from "./mail/outbox.js";
export type { AuthOptions, LimitContext, PlatformAdminCandidate, ResolvedAuthOptions } from "./options.js";
export { authOptionsSchema } from "./options.js";
export type {
  AdminStorage,
  ListOrganizationsInput,
  ListUsersInput,
  OrganizationWithMemberCount,
  UserPage,
} from "./ports/admin-storage.js";
export type {
  ApiKeyAuthentication,
  ApiKeyRecord,
  ApiKeyRotation,
  ApiKeyStorage,
  NewApiKey,
} from "./ports/api-key-storage.js";
export type { AuditEventRecord, AuditStorage, ListAuditEventsInput, NewAuditEvent } from "./ports/audit-storage.js";
export type { Clock, RandomSource } from "./ports/clock.js";
export { cryptoRandom, systemClock } from "./ports/clock.js";
export type {
  ClaimMailInput,
  ConsumeTokenResult,
  CreateVerificationTokenInput,
  MailFailure,
  MailStorage,
} from "./ports/mail-storage.js";
export type { Mailer, MailTemplateData, MailTemplateName, OutgoingMail } from "./ports/mailer.js";
export { MAIL_TEMPLATES } from "./ports/mailer.js";
export type { PasswordHasher } from "./ports/password-hasher.js";
export type {
  HitRateLimitInput,
  RateLimitHitOptions,
  RateLimitStorage,
  RateLimitStore,
  RateLimitWindow,
} from "./ports/rate-limit-store.js";
export type {
  InvitationRecord,
  JsonObject,
  MailIntentRecord,
  MemberRecord,
  NewInvitation,
  NewMailIntent,
  NewOrganization,
  NewSession,
  NewUser,
  OrganizationRecord,
  RoleRecord,
  SessionRecord,
  TokenPurpose,
  UserRecord,
} from "./ports/records.js";
export {
  INVITATION_STATUS,
  MAIL_STATUS,
  MEMBER_STATUS,
  ORGANIZATION_STATUS,
  TOKEN_PURPOSE,
  USER_STATUS,
} from "./ports/records.js";
export type {
  ListRevocationsInput,
  NewRevocation,
  RevocationKind,
  RevocationRecord,
  RevocationStorage,
} from "./ports/revocation-storage.js";
export type {
  CreateOrganizationWithMemberInput,
  CreateOrganizationWithMemberResult,
  CreateSessionInput,
  CreateUserWithOrganizationInput,
  CreateUserWithOrganizationResult,
  RotateRefreshTokenInput,
  RotateRefreshTokenResult,
  StorageAdapter,
  UserOrganization,
} from "./ports/storage.js";
export { REFRESH_REPEAT_MAX_LIVE } from "./ports/storage.js";
export type {
  AcceptInvitationResult,
  ChangeMemberRoleInput,
  ConflictResult,
  CreateInvitationInput as StorageCreateInvitationInput,
  CreateUserFromInvitationInput,
  CreateUserFromInvitationResult,
  DeleteRoleInput,
  ListMembersInput,
  MemberChangeResult,
  MemberListItem,
  Membership,
  NewRole,
  OrganizationPatch,
  OrganizationStatsRecord,
  OrgRoleCount,
  RemoveMemberInput,
  RenewInvitationInput,
  RolePatch,
  TenancyStorage,
} from "./ports/tenancy-storage.js";
export type {
  EnableTwoFactorInput,
  NewTwoFactorChallenge,
  SpendChallengeAttemptResult,
  TwoFactorRecord,
  TwoFactorStorage,
} from "./ports/two-factor-storage.js";
export type { MemoryRateLimitStoreOptions } from "./rate-limit/memory-store.js";
export { memoryRateLimitStore } from "./rate-limit/memory-store.js";
export { storageRateLimitStore } from "./rate-limit/storage-store.js";
export type { ActiveOrganizationClaim, Principal, UserPrincipal } from "./sessions/access-token.js";
export { ACCESS_TOKEN_TYPE } from "./sessions/access-token.js";
export { userIdOf, withRequestMeta } from "./sessions/principal.js";
export type { SessionInfo } from "./sessions/session-management.js";
export type { RequestMeta, TokenPair } from "./sessions/sessions.js";
export { REFRESH_TOKEN_BITS } from "./sessions/sessions.js";
export type { BuiltInRoleDefinition, BuiltInRoleName, Permission } from "./tenancy/built-in-roles.js";
export { BUILT_IN_ROLES, PERMISSIONS } from "./tenancy/built-in-roles.js";
export type {
  CreateInvitationInput,
  Invitation,
  IssuedInvitation,
} from "./tenancy/invitations.js";
export { INVITATION_TOKEN_BITS } from "./tenancy/invitations.js";
export type { ListMembersOptions, Member, MemberPage } from "./tenancy/members.js";
export { foldName, uniqueNameKey } from "./tenancy/name-key.js";
export type {
  CreateOrganizationInput,
  OrganizationMembership,
  Role,
  UpdateOrganizationInput,
} from "./tenancy/organizations.js";
export type { Organization } from "./tenancy/public-organization.js";
export type { CreateRoleInput, UpdateRoleInput } from "./tenancy/roles.js";
export type { OrganizationStats, OrgRoleWiseUsers } from "./tenancy/stats.js";
export type { TwoFactorEnrolment, TwoFactorProof } from "./two-factor/enrolment.js";
export { BACKUP_CODE_COUNT, TOTP_DIGITS, TOTP_PERIOD_SECONDS } from "./two-factor/totp.js";
