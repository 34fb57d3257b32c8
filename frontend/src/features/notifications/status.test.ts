import { describe, expect, it } from "vitest";

import { mayResend, statusLook } from "./status";

describe("a message's status", () => {
  it("is said in words, with a colour beside them", () => {
    expect(statusLook("bounced")).toMatchObject({ label: "Bounced", color: "red.9" });
    expect(statusLook("delivered")).toMatchObject({ label: "Delivered", color: "green.9" });
    expect(statusLook("something-new")).toMatchObject({ label: "something-new" });
  });

  it("allows a resend only when the message never reached the customer", () => {
    expect(["failed", "bounced", "cancelled"].every(mayResend)).toBe(true);
    expect(["queued", "sending", "sent", "delivered"].some(mayResend)).toBe(false);
  });
});
