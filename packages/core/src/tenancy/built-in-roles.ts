/** Every permission string tenantauth knows. Custom roles may only use these. */
export const PERMISSIONS = [
  "org:update",
  "org:delete",
  "member:invite",
  "member:remove",
  "member:update-role",
  "role:manage",
  "stats:read",
  "audit:read",
  "api_key:manage",
] as const;

/** A permission string, such as `member:invite`. */
export type Permission = (typeof PERMISSIONS)[number];

/** Names of the roles every organization has. */
export type BuiltInRoleName = "Owner" | "Admin" | "Member";

/** A built-in role's definition, as adapters seed it (with `org_id` NULL). */
export interface BuiltInRoleDefinition {
  name: BuiltInRoleName;
  description: string;
  permissions: readonly Permission[];
}

/**
 * The built-in roles. Adapters seed these rows (org_id NULL) when they migrate; core looks them up by name.
 */
export const BUILT_IN_ROLES: readonly BuiltInRoleDefinition[] = [
  {
    name: "Owner",
    description: "Full control of the organization, including deleting it.",
    permissions: PERMISSIONS,
  },
  {
    name: "Admin",
    description: "Manages members, invitations and roles.",
    permissions: [
      "org:update",
      "member:invite",
      "member:remove",
      "member:update-role",
      "role:manage",
      "stats:read",
      "audit:read",
      "api_key:manage",
    ],
  },
  {
    name: "Member",
    description: "A regular member.",
    permissions: [],
  },
];
