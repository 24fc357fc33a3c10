export { AuthError, ConfigError, ERROR_CODES, isAuthError } from "./errors.js";
export type { AuthErrorCode, AuthErrorOptions } from "./errors.js";
export { BUILT_IN_ROLES, PERMISSIONS } from "./tenancy/built-in-roles.js";
export type { BuiltInRoleDefinition, BuiltInRoleName, Permission } from "./tenancy/built-in-roles.js";
export { MEMBER_STATUS, ORGANIZATION_STATUS, USER_STATUS } from "./ports/records.js";
export type {
  JsonObject,
  MemberRecord,
  NewOrganization,
  NewSession,
  NewUser,
  OrganizationRecord,
  RoleRecord,
  SessionRecord,
  UserRecord,
} from "./ports/records.js";
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
