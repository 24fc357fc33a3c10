export type { ConformanceSubject } from "./run-storage-conformance.js";
export { runStorageConformance } from "./run-storage-conformance.js";
