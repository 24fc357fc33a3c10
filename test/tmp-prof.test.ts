import { createAuth, createHttpHandler } from "@tenantauth/core";
import { memoryStorage } from "@tenantauth/testing";
import { it } from "vitest";
it("prof", async () => {
  const auth = createAuth({ secret: "bench-secret-that-is-at-least-32-bytes", storage: memoryStorage(), emailVerification: { required: false } });
  await auth.signup({ email: "b@example.com", password: "correct horse battery staple", organizationName: "B" });
  const { accessToken } = await auth.signin({ email: "b@example.com", password: "correct horse battery staple" });
  const h = createHttpHandler(auth, { basePath: "/auth" });
  const p = await auth.authenticate(accessToken);
  const N = 5000;
  const time = async (name: string, f: () => Promise<unknown>) => { for (let i = 0; i < 500; i++) await f(); const t = performance.now(); for (let i = 0; i < N; i++) await f(); console.log(name, ((performance.now() - t) / N * 1000).toFixed(1), "µs"); };
  await time("authenticate", () => auth.authenticate(accessToken));
  await time("me", () => auth.me(p));
  await time("handler /me", async () => (await h(new Request("http://x/auth/me", { headers: { authorization: `Bearer ${accessToken}` } }))).text());
  const { Session } = await import("node:inspector/promises");
  const session = new Session(); session.connect();
  await session.post("Profiler.enable"); await session.post("Profiler.setSamplingInterval", { interval: 50 }); await session.post("Profiler.start");
  for (let i = 0; i < 20000; i++) await (await h(new Request("http://x/auth/me", { headers: { authorization: `Bearer ${accessToken}` } }))).text();
  const { profile } = await session.post("Profiler.stop") as any;
  const self = new Map<string, number>(); const total = profile.samples.length;
  const byId = new Map(profile.nodes.map((n: any) => [n.id, n]));
  const counts = new Map<number, number>(); for (const s of profile.samples) counts.set(s, (counts.get(s) ?? 0) + 1);
  for (const [id, c] of counts) { const n: any = byId.get(id); const k = `${n.callFrame.functionName || "(anon)"} ${n.callFrame.url.split("/").slice(-2).join("/")}:${n.callFrame.lineNumber}`; self.set(k, (self.get(k) ?? 0) + c); }
  console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${(v / total * 100).toFixed(1)}% ${k}`).join("\n"));
  await time("request+response", async () => { new Request("http://x/auth/me", { headers: { authorization: `Bearer ${accessToken}` } }); return new Response("{}").text(); });
}, 120_000);
