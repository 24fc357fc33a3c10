/** Who a request is made as: an access token, or anything holding one (a `signedIn()` session). */
export type AuthAs = string | { accessToken: string };

/** The answer to a test request, with the body already read. */
// biome-ignore lint/suspicious/noExplicitAny: tests read answers as `res.body.access_token`; pass a type to narrow it.
export interface TestResponse<Body = any> {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or the text when the body is not JSON, or `undefined` when it is empty. */
  body: Body;
  text: string;
}

/** Sends one Web-standard request to the app under test. */
export type Transport = (request: Request) => Promise<Response>;

/**
 * One request being built: chain `.auth()`, `.set()` and `.send()`, then `await` it. Nothing is sent before the
 * `await`.
 */
export class TestRequest implements PromiseLike<TestResponse> {
  readonly #transport: Transport;
  readonly #method: string;
  readonly #path: string;
  readonly #headers = new Headers();
  #body: string | undefined;

  constructor(transport: Transport, method: string, path: string, as?: AuthAs) {
    if (!path.startsWith("/")) throw new TypeError(`request paths start with "/": ${JSON.stringify(path)}`);
    this.#transport = transport;
    this.#method = method;
    this.#path = path;
    if (as !== undefined) this.auth(as);
  }

  /** Sends `Authorization: Bearer <access token>`. */
  auth(as: AuthAs): this {
    this.#headers.set("authorization", `Bearer ${typeof as === "string" ? as : as.accessToken}`);
    return this;
  }

  /** Sets a request header. */
  set(name: string, value: string): this {
    this.#headers.set(name, value);
    return this;
  }

  /** Sends `body` as JSON (a string is sent as it is, with the JSON content type unless one was set). */
  send(body: unknown): this {
    this.#body = typeof body === "string" ? body : JSON.stringify(body);
    if (!this.#headers.has("content-type")) this.#headers.set("content-type", "application/json");
    return this;
  }

  // biome-ignore lint/suspicious/noThenProperty: awaiting the request sends it, as with supertest.
  then<A = TestResponse, B = never>(
    onfulfilled?: ((value: TestResponse) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#run().then(onfulfilled, onrejected);
  }

  async #run(): Promise<TestResponse> {
    const request = new Request(`http://localhost${this.#path}`, {
      method: this.#method,
      headers: this.#headers,
      body: this.#body,
    });
    const response = await this.#transport(request);
    const text = await response.text();
    let body: unknown = text === "" ? undefined : text;
    if (text !== "" && /[/+]json\b/.test(response.headers.get("content-type") ?? "")) body = JSON.parse(text);
    return { status: response.status, headers: response.headers, body, text };
  }
}

/** Makes requests to one app; `.auth()` makes every later request as that user. */
export interface TestAgent {
  get(path: string): TestRequest;
  head(path: string): TestRequest;
  delete(path: string): TestRequest;
  post(path: string, body?: unknown): TestRequest;
  put(path: string, body?: unknown): TestRequest;
  patch(path: string, body?: unknown): TestRequest;
  /** A new agent whose requests carry this user's access token. */
  auth(as: AuthAs): TestAgent;
}

/** Options of `agent()`. */
export interface AgentOptions {
  /** Make every request as this user (`Authorization: Bearer …`). */
  auth?: AuthAs;
}

/** Builds a {@link TestAgent} on a transport (used by the Express and Hono entry points). */
export function agentOn(transport: Transport, options: AgentOptions = {}): TestAgent {
  const make = (method: string, path: string, body?: unknown): TestRequest => {
    const request = new TestRequest(transport, method, path, options.auth);
    return body === undefined ? request : request.send(body);
  };
  return {
    get: (path) => make("GET", path),
    head: (path) => make("HEAD", path),
    delete: (path) => make("DELETE", path),
    post: (path, body) => make("POST", path, body),
    put: (path, body) => make("PUT", path, body),
    patch: (path, body) => make("PATCH", path, body),
    auth: (as) => agentOn(transport, { ...options, auth: as }),
  };
}
