import { describe, expect, it } from "vitest";
import { TEST_EPOCH, testClock } from "./clock.js";

describe("testClock", () => {
  it("stands still until moved", () => {
    const clock = testClock();
    expect(clock.now()).toBe(TEST_EPOCH);
    expect(clock.now()).toBe(TEST_EPOCH);
    clock.advance(1500);
    expect(clock.now()).toBe(TEST_EPOCH + 1500);
    clock.tick({ days: 1, hours: 2, minutes: 3, seconds: 4 });
    expect(clock.now()).toBe(TEST_EPOCH + 1500 + ((26 * 60 + 3) * 60 + 4) * 1000);
    clock.set(new Date("2031-05-06T07:08:09Z"));
    expect(clock.now()).toBe(Date.UTC(2031, 4, 6, 7, 8, 9));
    expect(testClock(42).now()).toBe(42);
  });

  it("refuses a time that is not a finite number", () => {
    expect(() => testClock(Number.NaN)).toThrow(RangeError);
    expect(() => testClock().set(new Date("not a date"))).toThrow(RangeError);
  });
});
