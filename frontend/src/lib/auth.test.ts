import { getSession, lastEndReason, login, logout, resetAuthForTests } from "./auth";

describe("the staff session", () => {
  let requests: { url: string; body: string }[];

  beforeEach(() => {
    requests = [];
    resetAuthForTests();
    localStorage.clear();
    sessionStorage.clear();
    vi.stubGlobal("fetch", vi.fn(async (url: string, init: RequestInit) => {
      requests.push({ url, body: String(init.body) });
      if (url.endsWith("/token")) {
        return new Response(JSON.stringify({ access_token: "access", refresh_token:
          "refresh-token-1", token_type: "bearer", expires_in: 900, role: "csr2" }));
      }
      return new Response(null, { status: 204 });
    }));
  });
  afterEach(() => vi.unstubAllGlobals());

  it("keeps tokens in memory only: nothing in storage or cookies for a script to find", async () => {
    await login("csr2", "tapline-demo");
    expect(getSession()).toMatchObject({ role: "csr2", refreshToken: "refresh-token-1" });
    expect(requests[0]!.body).toContain("username=csr2");
    expect(localStorage.length).toBe(0);
    expect(sessionStorage.length).toBe(0);
    expect(document.cookie).toBe("");
  });

  it("logout forgets the session and ends its refresh token on the server", async () => {
    await login("csr2", "tapline-demo");
    await logout();
    expect(getSession()).toBeNull();
    expect(lastEndReason()).toBe("logout");
    expect(requests[1]).toEqual({ url: "/api/auth/logout",
      body: JSON.stringify({ refresh_token: "refresh-token-1" }) });
  });
});
