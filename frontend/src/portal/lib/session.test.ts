import { getPortalSession, portalLogout, refreshPortalSession, sessionFromTokens,
  setPortalSession } from "./session";

function fakeToken(accounts: string[]): string {
  const b64 = (o: unknown) => btoa(JSON.stringify(o)).replace(/=+$/, "");
  return `${b64({ alg: "ES256" })}.${b64({ sub: "c", accounts })}.sig`;
}

describe("the portal session", () => {
  let requests: { url: string; init: RequestInit }[];

  beforeEach(() => {
    requests = [];
    sessionStorage.clear();
    vi.stubGlobal("fetch", vi.fn(async (url: string, init: RequestInit) => {
      requests.push({ url, init });
      if (url.endsWith("/refresh")) {
        return new Response(JSON.stringify({ access_token: fakeToken(["a1", "a2"]),
          refresh_token: null, token_type: "bearer", expires_in: 900, role: "customer" }));
      }
      return new Response(null, { status: 204 });
    }));
    setPortalSession(sessionFromTokens({ access_token: fakeToken(["a1"]), refresh_token: null,
      expires_in: 900 }, "pat@example.org"));
  });
  afterEach(() => vi.unstubAllGlobals());

  it("keeps no refresh token where a script could read it: only the access token in the tab",
    () => {
      const stored = sessionStorage.getItem("tapline.portal.session") ?? "";
      expect(JSON.parse(stored)).toMatchObject({ accounts: ["a1"], email: "pat@example.org" });
      expect(stored).not.toMatch(/refresh/i);
      expect(document.cookie).toBe("");
    });

  it("refreshes with the portal's cookie and header, never a token in a body", async () => {
    expect(await refreshPortalSession()).toBe(true);
    expect(getPortalSession()?.accounts).toEqual(["a1", "a2"]);
    const [refresh] = requests;
    expect(refresh!.url).toBe("/api/auth/refresh");
    expect(new Headers(refresh!.init.headers).get("X-Tapline-Session")).toBe("portal");
    expect(refresh!.init.credentials).toBe("same-origin");
    expect(refresh!.init.body).toBeUndefined();
  });

  it("logout clears the tab's session and asks the gateway to end the cookie's session",
    async () => {
      await portalLogout();
      expect(getPortalSession()).toBeNull();
      expect(sessionStorage.getItem("tapline.portal.session")).toBeNull();
      expect(requests[0]!.url).toBe("/api/auth/logout");
      expect(new Headers(requests[0]!.init.headers).get("X-Tapline-Session")).toBe("portal");
    });
});
