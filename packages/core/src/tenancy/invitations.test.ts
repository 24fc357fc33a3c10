import { describe, expect, it } from "vitest";
import { INVITATION_STATUS, type InvitationRecord } from "../ports/records.js";
import { toPublicInvitation } from "./invitations.js";

// The public shape of a stored invitation. Through the SDK today only pending invitations are shown (list, create,
// resend), so the accepted and revoked mappings are checked here, on the function itself.
describe("toPublicInvitation", () => {
  const expiresAt = 1_000_000;
  const record = (status: number): InvitationRecord => ({
    id: 7,
    orgId: 3,
    email: "bob@example.com",
    roleId: 2,
    invitedBy: 1,
    status,
    expiresAt,
    createdAt: expiresAt - 5000,
    updatedAt: expiresAt - 5000,
    acceptedAt: null,
    acceptedBy: null,
  });

  it("maps every field and shows a pending invitation as pending until its expiry, expired from it on", () => {
    expect(toPublicInvitation(record(INVITATION_STATUS.pending), expiresAt - 1)).toEqual({
      id: 7,
      orgId: 3,
      email: "bob@example.com",
      roleId: 2,
      invitedBy: 1,
      status: "pending",
      expiresAt,
      createdAt: expiresAt - 5000,
    });
    expect(toPublicInvitation(record(INVITATION_STATUS.pending), expiresAt).status).toBe("expired");
    expect(toPublicInvitation(record(INVITATION_STATUS.pending), expiresAt + 1).status).toBe("expired");
  });

  it("an accepted or revoked invitation keeps its status before and after its expiry", () => {
    for (const now of [expiresAt - 1, expiresAt, expiresAt + 1]) {
      expect(toPublicInvitation(record(INVITATION_STATUS.accepted), now).status).toBe("accepted");
      expect(toPublicInvitation(record(INVITATION_STATUS.revoked), now).status).toBe("revoked");
    }
  });
});
