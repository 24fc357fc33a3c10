export type { ConformanceSubject } from "./conformance/index.js";
export { runStorageConformance } from "./conformance/index.js";
export { memoryStorage } from "./memory/storage.js";
