import { getSession, lastEndReason, login, logout, refreshSession, resetAuthForTests } from "./auth";

describe("the staff session", () => {
  let requests: { url: string; init: RequestInit }[];

  beforeEach(() => {
    requests = [];
    resetAuthForTests();
    localStorage.clear();
    sessionStorage.clear();
    vi.stubGlobal("fetch", vi.fn(async (url: string, init: RequestInit) => {
      requests.push({ url, init });
      if (url.endsWith("/token") || url.endsWith("/refresh")) {
        // the gateway keeps the refresh token in its HttpOnly cookie and answers null
        return new Response(JSON.stringify({ access_token: `access-${requests.length}`,
          refresh_token: null, token_type: "bearer", expires_in: 900, role: "csr2" }));
      }
      return new Response(null, { status: 204 });
    }));
  });
  afterEach(() => vi.unstubAllGlobals());

  it("keeps the access token in memory only: nothing in storage or cookies for a script to find",
    async () => {
      await login("csr2", "tapline-demo");
      expect(getSession()).toMatchObject({ role: "csr2", accessToken: "access-1" });
      expect(getSession()).not.toHaveProperty("refreshToken");
      expect((requests[0]!.init.body as URLSearchParams).toString()).toContain("username=csr2");
      expect(localStorage.length).toBe(0);
      expect(sessionStorage.length).toBe(0);
      expect(document.cookie).toBe("");
    });

  it("asks for the staff cookie on login and refreshes with it, never with a token in a body",
    async () => {
      await login("csr2", "tapline-demo");
      expect(new Headers(requests[0]!.init.headers).get("X-Tapline-Session")).toBe("staff");
      expect(await refreshSession()).toBe(true);
      expect(getSession()?.accessToken).toBe("access-2");
      const refresh = requests[1]!;
      expect(refresh.url).toBe("/api/auth/refresh");
      expect(new Headers(refresh.init.headers).get("X-Tapline-Session")).toBe("staff");
      expect(refresh.init.credentials).toBe("same-origin");
      expect(refresh.init.body).toBeUndefined();
    });

  it("logout forgets the session and ends its refresh token on the server", async () => {
    await login("csr2", "tapline-demo");
    await logout();
    expect(getSession()).toBeNull();
    expect(lastEndReason()).toBe("logout");
    expect(requests[1]!.url).toBe("/api/auth/logout");
    expect(new Headers(requests[1]!.init.headers).get("X-Tapline-Session")).toBe("staff");
    expect(requests[1]!.init.body).toBeUndefined();
  });
});
