import type { Route } from "./route.js";
import { accountRoutes } from "./routes/accounts.js";
import { activeOrganizationRoutes } from "./routes/active-organization.js";
import { adminRoutes } from "./routes/admin.js";
import { emailFlowRoutes } from "./routes/email-flows.js";
import { invitationRoutes } from "./routes/invitations.js";
import { memberRoutes } from "./routes/members.js";
import { organizationRoutes } from "./routes/organizations.js";
import { statsRoutes } from "./routes/stats.js";

/** The one route table: every HTTP adapter serves exactly these routes through `createHttpHandler`. */
export const routes: readonly Route[] = [
  ...accountRoutes,
  ...emailFlowRoutes,
  ...organizationRoutes,
  ...memberRoutes,
  ...invitationRoutes,
  ...statsRoutes,
  ...activeOrganizationRoutes,
  ...adminRoutes,
];
