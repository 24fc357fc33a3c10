// The cross-package suites use the public test kit's clock.
export type { TestClock as ManualClock } from "@tenantauth/testing";
export { testClock as manualClock } from "@tenantauth/testing";
