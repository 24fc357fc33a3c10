/** Where time comes from. Domain code never reads `Date.now()` itself, so tests can move time. */
export interface Clock {
  /** Current time in epoch milliseconds. */
  now(): number;
}

/** Where randomness comes from. Must be a CSPRNG in production. */
export interface RandomSource {
  /** Fills `bytes` with random bytes and returns it. */
  fill(bytes: Uint8Array): Uint8Array;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** Node's / the platform's CSPRNG (`crypto.getRandomValues`). */
export const cryptoRandom: RandomSource = {
  fill: (bytes) => {
    // getRandomValues takes at most 65536 bytes per call; tokens are far smaller.
    globalThis.crypto.getRandomValues(bytes);
    return bytes;
  },
};
