import { api, unwrap } from "./api";
import { getSession, resetAuthForTests, type Session } from "./auth";
import { ApiProblem } from "./problem";

const SESSION: Session = {
  accessToken: "old-access", role: "csr1", username: "csr1",
  expiresAt: Date.now() + 60_000,
};

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status, headers: { "Content-Type": status >= 400 ? "application/problem+json"
      : "application/json" },
  });
}

describe("the API client", () => {
  let calls: Request[];

  beforeEach(() => {
    calls = [];
    resetAuthForTests({ ...SESSION });
  });
  afterEach(() => vi.unstubAllGlobals());

  function serve(handler: (req: Request) => Response) {
    vi.stubGlobal("fetch", vi.fn(async (input: RequestInfo, init?: RequestInit) => {
      const req = input instanceof Request ? input : new Request(new URL(String(input),
        "http://tapline.test"), init);
      calls.push(req);
      return handler(req);
    }));
  }

  it("refreshes once on a 401 and repeats the request with the new token", async () => {
    serve((req) => {
      if (req.url.endsWith("/api/auth/refresh")) {
        return json({ access_token: "new-access", refresh_token: null,
          token_type: "bearer", expires_in: 900, role: "csr1" });
      }
      return req.headers.get("Authorization") === "Bearer new-access"
        ? json([]) : json({ title: "Unauthorized", status: 401 }, 401);
    });
    const hits = unwrap(await api.GET("/api/accounts/search", { params: { query: { q: "ma" } } }));
    expect(hits).toEqual([]);
    expect(calls.map((c) => new URL(c.url).pathname)).toEqual(
      ["/api/accounts/search", "/api/auth/refresh", "/api/accounts/search"]);
    expect(getSession()?.accessToken).toBe("new-access");
    // the refresh presents the app's cookie (the browser adds it), never a token in a body
    const refresh = calls[1]!;
    expect(refresh.headers.get("X-Tapline-Session")).toBe("staff");
    expect(refresh.credentials).toBe("same-origin");
    expect(await refresh.text()).toBe("");
  });

  it("ends the session when the refresh token is refused", async () => {
    serve(() => json({ title: "Unauthorized", status: 401 }, 401));
    const answer = await api.GET("/api/auth/me");
    expect(() => unwrap(answer)).toThrow(ApiProblem);
    expect(getSession()).toBeNull();
  });

  it("sends one Idempotency-Key with a mutation, the same on its retry after a refresh",
    async () => {
      let first = true;
      serve((req) => {
        if (req.url.endsWith("/api/auth/refresh")) {
          return json({ access_token: "new-access", refresh_token: null,
            token_type: "bearer", expires_in: 900, role: "csr1" });
        }
        if (first) {
          first = false;
          return json({ title: "Unauthorized", status: 401 }, 401);
        }
        return json({ id: 1 }, 201);
      });
      await api.POST("/api/accounts/contacts/{account_id}/log", {
        params: { path: { account_id: "a1" } },
        body: { channel: "call", category: "billing", note: "asked about the bill" },
      });
      const posts = calls.filter((c) => c.method === "POST" && c.url.includes("/contacts/"));
      expect(posts).toHaveLength(2);
      const keys = posts.map((p) => p.headers.get("Idempotency-Key"));
      expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
      expect(keys[1]).toBe(keys[0]);
      expect(await posts[1]!.json()).toMatchObject({ note: "asked about the bill" });
    });

  it("turns a problem answer into a readable error", async () => {
    serve(() => json({ title: "Unprocessable", status: 422,
      errors: [{ field: "query.q", message: "at least 2 characters" }] }, 422));
    const answer = await api.GET("/api/accounts/search", { params: { query: { q: "m" } } });
    expect(() => unwrap(answer)).toThrow("Q: at least 2 characters");
  });
});
