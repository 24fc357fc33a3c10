export { swaggerUiAssets } from "./docs-assets.js";
export type { RequirePermissionOptions } from "./middleware.js";
export { authErrorHandler, requireAuth, requirePermission } from "./middleware.js";
export type { AuthRouterOptions } from "./router.js";
export { authRouter } from "./router.js";
