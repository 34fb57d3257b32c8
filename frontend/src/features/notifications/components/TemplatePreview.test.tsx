import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { resetAuthForTests } from "@/lib/auth";

import { TemplatePreview } from "./TemplatePreview";
import { fakeApi, json, renderAt } from "./testing";

const KINDS = [
  { kind: "e_bill", label: "E-bill ready", default: "email", may_opt_out: false, languages: ["en", "es"] },
  { kind: "leak_alert", label: "Possible leak", default: "both", may_opt_out: true, languages: ["en", "es"] },
];

// jsdom has no scrollIntoView; Mantine's combobox scrolls the chosen option into view.
if (typeof Element.prototype.scrollIntoView !== "function") {
  Element.prototype.scrollIntoView = () => {};
}

describe("template preview", { timeout: 20_000 }, () => {
  let seen: Request[] = [];
  beforeEach(() => {
    resetAuthForTests({ accessToken: "t", refreshToken: "r".repeat(12), role: "csr1",
      username: "casey", expiresAt: Date.now() + 60_000 });
    seen = fakeApi(async (req, path) => {
      if (path === "/api/accounts/notifications/kinds") return json(KINDS);
      if (path === "/api/accounts/notifications/preview") {
        const body = await req.json();
        return json({ kind: body.kind, language: body.language,
          subject: `Su factura está lista, ${body.facts.name}`, text: "Total: $84.20",
          html: "<p>Total: <b>$84.20</b></p><script>parent.x=1</script>",
          sms: "Tapline: su factura de $84.20 vence el 20 dic." });
      }
      return undefined;
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it("renders a kind in Spanish when Enter is pressed, the HTML in a sandboxed frame", async () => {
    renderAt("/", "/", <TemplatePreview />);
    const user = userEvent.setup();
    await user.click(screen.getByRole("textbox", { name: /Kind of message/ }));
    await user.click(await screen.findByRole("option", { name: "E-bill ready" }));
    await user.click(screen.getByRole("textbox", { name: /Language/ }));
    await user.click(await screen.findByRole("option", { name: "Spanish (Español)" }));
    const name = screen.getByLabelText("Customer name");
    await user.clear(name);
    await user.type(name, "Rosa Díaz{Enter}");

    expect(await screen.findByTestId("preview-subject"))
      .toHaveTextContent("Su factura está lista, Rosa Díaz");
    const posts = seen.filter((r) => r.url.endsWith("/preview"));
    expect(posts).toHaveLength(1);
    expect(await posts[0]!.json()).toEqual({ kind: "e_bill", language: "es",
      facts: { name: "Rosa Díaz" } });
    const frame = screen.getByTestId("preview-html");
    expect(frame).toHaveAttribute("sandbox", "");
    expect(frame.getAttribute("srcdoc")).toContain("<b>$84.20</b>");
    expect(frame).toHaveAccessibleName("HTML e-mail, Spanish (Español)");
    expect(screen.getByTestId("preview-sms")).toHaveTextContent("vence el 20 dic.");
    expect(screen.getByText(/1 part/)).toBeInTheDocument();
  });

  it("opens on the kind and language in the address", async () => {
    renderAt("/?kind=leak_alert&language=es", "/", <TemplatePreview />);
    await screen.findByTestId("preview-subject");
    await waitFor(() => expect(seen.filter((r) => r.url.endsWith("/preview"))).toHaveLength(1));
    expect(await seen.find((r) => r.url.endsWith("/preview"))!.json())
      .toMatchObject({ kind: "leak_alert", language: "es" });
  });
});
