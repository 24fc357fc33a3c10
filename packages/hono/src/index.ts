export { swaggerUiAssets } from "./docs-assets.js";
export type { AuthEnv, AuthVariables, RequirePermissionOptions } from "./middleware.js";
export { authErrorHandler, requireAuth, requirePermission } from "./middleware.js";
export type { AuthRoutesOptions } from "./routes.js";
export { authRoutes } from "./routes.js";
