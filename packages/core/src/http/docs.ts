/**
 * The `GET /docs` API reference page. Core holds the page; the HTTP adapters hand it the files of a locally
 * installed Swagger UI (the swagger-ui-dist package), so the page works with no CDN and no internet.
 */
export interface DocsAssets {
  /** The bytes of a Swagger UI file such as `swagger-ui.css`, or null when it is missing. */
  read(name: string): Promise<Uint8Array | null>;
}

const ASSET_TYPES: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
};

const INIT_SCRIPT = `window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({ url: "openapi.json", dom_id: "#api", deepLinking: true });
});
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tenantauth API reference</title>
<link rel="icon" type="image/png" href="docs/favicon-32x32.png">
<link rel="stylesheet" href="docs/swagger-ui.css">
</head>
<body>
<div id="api"></div>
<script src="docs/swagger-ui-bundle.js"></script>
<script src="docs/init.js"></script>
</body>
</html>
`;

const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self' data:",
  "x-content-type-options": "nosniff",
  "cache-control": "public, max-age=3600",
};

/** Serves `/docs` and `/docs/<asset>`; null when the path is not a docs path. */
export async function serveDocs(path: string, assets: DocsAssets): Promise<Response | null> {
  if (path === "/docs") {
    return new Response(PAGE, { headers: { ...SECURITY_HEADERS, "content-type": "text/html; charset=utf-8" } });
  }
  if (!path.startsWith("/docs/")) return null;
  const name = path.slice("/docs/".length);
  if (name === "init.js") {
    return new Response(INIT_SCRIPT, {
      headers: { ...SECURITY_HEADERS, "content-type": "text/javascript; charset=utf-8" },
    });
  }
  const type = ASSET_TYPES[name];
  const bytes = type ? await assets.read(name) : null;
  if (!type || !bytes) return null;
  return new Response(new Uint8Array(bytes), { headers: { ...SECURITY_HEADERS, "content-type": type } });
}
