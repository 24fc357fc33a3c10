import type { Clock } from "@tenantauth/core";

/** A clock that moves only when the test moves it. */
export interface TestClock extends Clock {
  /** Moves time forward by `ms` milliseconds (or back, when negative). */
  advance(ms: number): void;
  /** Moves time forward by whole seconds, minutes, hours or days: `clock.tick({ minutes: 16 })`. */
  tick(by: { seconds?: number; minutes?: number; hours?: number; days?: number }): void;
  /** Sets the time, in epoch milliseconds or as a `Date`. */
  set(time: number | Date): void;
}

/** 2030-01-01T00:00:00Z, where a {@link testClock} starts unless told otherwise. */
export const TEST_EPOCH = Date.UTC(2030, 0, 1);

/**
 * A manual {@link TestClock}, starting at `start` (epoch ms or `Date`, default {@link TEST_EPOCH}).
 *
 * @example
 * const clock = testClock();
 * const auth = createAuth({ secret, storage: memoryStorage(), clock });
 * clock.tick({ minutes: 16 }); // access tokens (15 min) have now expired
 */
export function testClock(start: number | Date = TEST_EPOCH): TestClock {
  const epoch = (time: number | Date): number => {
    const ms = typeof time === "number" ? time : time.getTime();
    if (!Number.isFinite(ms)) throw new RangeError("the test clock needs a finite time");
    return ms;
  };
  let now = epoch(start);
  return {
    now: () => now,
    advance(ms) {
      now = epoch(now + ms);
    },
    tick({ seconds = 0, minutes = 0, hours = 0, days = 0 }) {
      now = epoch(now + (((days * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000);
    },
    set(time) {
      now = epoch(time);
    },
  };
}
