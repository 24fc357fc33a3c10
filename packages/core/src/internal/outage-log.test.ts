import { describe, expect, it } from "vitest";
import { AuthError } from "../errors.js";
import { createOutageLog, type OutageLine, observeStorage } from "./outage-log.js";

const clockAt = (start: number) => {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
};
const unavailable = () =>
  new AuthError("STORAGE_UNAVAILABLE", "The database cannot be reached (findUserByEmail)", {
    cause: Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:3306 for ada@example.com"), { code: "ECONNREFUSED" }),
  });

describe("the outage log", () => {
  it("writes one line when a dependency goes down, a count every interval while it stays down, one when it is back", () => {
    const clock = clockAt(1_000_000);
    const lines: OutageLine[] = [];
    const log = createOutageLog({ clock, write: (l) => lines.push(l), summaryEveryMs: 30_000 });
    log.succeeded("database");
    expect(lines).toEqual([]);
    for (let i = 0; i < 100; i++) {
      log.failed("database", unavailable());
      clock.advance(500);
    }
    // 100 failures over 50 s: the first line, and one count after 30 s.
    expect(lines.map((l) => l.event)).toEqual(["down", "still down"]);
    expect(lines[1]).toEqual({ event: "still down", dependency: "database", failures: 61, forSeconds: 30 });
    expect(log.isDown("database")).toBe(true);
    expect(log.isDown("rate-limit store")).toBe(false);
    log.succeeded("rate-limit store");
    expect(lines).toHaveLength(2);
    log.succeeded("database");
    log.succeeded("database");
    expect(lines[2]).toEqual({ event: "up", dependency: "database", failures: 100, forSeconds: 50 });
    expect(lines).toHaveLength(3);
    // The next outage starts afresh.
    log.failed("database", unavailable());
    expect(lines[3]?.event).toBe("down");
  });

  it("the first line holds the error's safe fields only: its code, never the driver's message", () => {
    const lines: OutageLine[] = [];
    const log = createOutageLog({ clock: clockAt(0), write: (l) => lines.push(l) });
    log.failed("database", unavailable());
    const text = JSON.stringify(lines);
    expect(text).toContain("STORAGE_UNAVAILABLE");
    expect(text).toContain("ECONNREFUSED");
    expect(text).not.toContain("ada@example.com");
    expect(text).not.toContain("10.0.0.1");
  });

  it("an observed storage reports STORAGE_UNAVAILABLE as an outage and any answer as its end; other errors are not outages", async () => {
    const lines: OutageLine[] = [];
    const log = createOutageLog({ clock: clockAt(0), write: (l) => lines.push(l) });
    let down = true;
    class Adapter {
      readonly name = "fake";
      #rows = ["a"];
      async list(): Promise<string[]> {
        if (down) throw unavailable();
        return this.#rows;
      }
      async conflict(): Promise<never> {
        throw new AuthError("STORAGE_ERROR", "constraint");
      }
      sync(): number {
        return 7;
      }
    }
    const storage = observeStorage(new Adapter(), log);
    expect(storage.name).toBe("fake");
    expect(storage.sync()).toBe(7);
    await expect(storage.list()).rejects.toMatchObject({ code: "STORAGE_UNAVAILABLE" });
    await expect(storage.conflict()).rejects.toMatchObject({ code: "STORAGE_ERROR" });
    expect(lines.map((l) => l.event)).toEqual(["down"]);
    down = false;
    // Private fields still work: the method runs on the adapter itself.
    expect(await storage.list()).toEqual(["a"]);
    expect(lines.map((l) => l.event)).toEqual(["down", "up"]);
    await expect(storage.conflict()).rejects.toMatchObject({ code: "STORAGE_ERROR" });
    expect(lines).toHaveLength(2);
  });
});
