import type { Route } from "./route.js";
import { accountRoutes } from "./routes/accounts.js";
import { activeOrganizationRoutes } from "./routes/active-organization.js";
import { adminRoutes } from "./routes/admin.js";
import { apiKeyRoutes } from "./routes/api-keys.js";
import { auditRoutes } from "./routes/audit.js";
import { emailFlowRoutes } from "./routes/email-flows.js";
import { invitationRoutes } from "./routes/invitations.js";
import { memberRoutes } from "./routes/members.js";
import { organizationRoutes } from "./routes/organizations.js";
import { sessionRoutes } from "./routes/sessions.js";
import { statsRoutes } from "./routes/stats.js";
import { twoFactorRoutes } from "./routes/two-factor.js";

/** The one route table: every HTTP adapter serves exactly these routes through `createHttpHandler`. */
export const routes: readonly Route[] = [
  ...accountRoutes,
  ...twoFactorRoutes,
  ...emailFlowRoutes,
  ...organizationRoutes,
  ...memberRoutes,
  ...invitationRoutes,
  ...statsRoutes,
  ...auditRoutes,
  ...sessionRoutes,
  ...apiKeyRoutes,
  ...activeOrganizationRoutes,
  ...adminRoutes,
];
