import { type JsonObject, ORGANIZATION_STATUS, type OrganizationRecord } from "../ports/records.js";

/** An organization (tenant) as the SDK shows it. */
export interface Organization {
  id: number;
  name: string;
  details: string | null;
  personal: boolean;
  status: "active" | "deleted";
  settings: JsonObject;
  createdAt: number;
  updatedAt: number;
}

/** Maps a stored organization to its public shape. */
export function toPublicOrganization(record: OrganizationRecord): Organization {
  return {
    id: record.id,
    name: record.name,
    details: record.details,
    personal: record.personal,
    status: record.status === ORGANIZATION_STATUS.active ? "active" : "deleted",
    settings: record.settings,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}
