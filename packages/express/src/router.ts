import { type Auth, createHttpHandler, type HttpHandlerOptions } from "@tenantauth/core";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { sendWebResponse, toWebRequest } from "./convert.js";
import { swaggerUiAssets } from "./docs-assets.js";

/** Options of {@link authRouter}. */
export interface AuthRouterOptions extends Omit<HttpHandlerOptions, "basePath" | "docs"> {
  /** Serve the API reference at `GET /docs` (from the local swagger-ui-dist). @default true */
  docs?: boolean;
}

/**
 * The whole tenantauth HTTP API as Express middleware. Mount it under any prefix (or none): it answers the paths
 * of its routes (with JSON errors for wrong methods or input) and passes every other path on with `next()`.
 *
 * @example
 * const app = express();
 * app.use("/auth", authRouter(auth));
 */
export function authRouter(auth: Auth, options: AuthRouterOptions = {}): RequestHandler {
  const { docs = true, ...rest } = options;
  const handler = createHttpHandler(auth, { ...rest, ...(docs ? { docs: swaggerUiAssets() } : {}) });
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!handler.owns(req.path)) {
      next();
      return;
    }
    handler(toWebRequest(req), { ip: req.ip })
      .then((response) => sendWebResponse(res, response))
      .catch(next);
  };
}
