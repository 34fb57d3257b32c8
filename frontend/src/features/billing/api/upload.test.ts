import { getSession, resetAuthForTests } from "@/lib/auth";
import { ApiProblem } from "@/lib/problem";

import { uploadReads } from "./upload";

interface Sent {
  url: string;
  headers: Record<string, string>;
  body: FormData | null;
}

/** A stand-in XMLHttpRequest: reports upload progress, answers from a queue. */
function fakeXhr(answers: [number, unknown][]): Sent[] {
  const sent: Sent[] = [];
  class FakeXhr {
    status = 0;
    statusText = "";
    responseText = "";
    upload: { onprogress: ((e: ProgressEvent) => void) | null } = { onprogress: null };
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;
    private request: Sent = { url: "", headers: {}, body: null };
    open(_method: string, url: string) { this.request.url = url; }
    setRequestHeader(name: string, value: string) { this.request.headers[name] = value; }
    send(body: FormData) {
      this.request.body = body;
      sent.push(this.request);
      const [status, answer] = answers.shift() ?? [500, {}];
      this.upload.onprogress?.({ lengthComputable: true, loaded: 50, total: 100 } as ProgressEvent);
      this.upload.onprogress?.(
        { lengthComputable: true, loaded: 100, total: 100 } as ProgressEvent);
      this.status = status;
      this.responseText = JSON.stringify(answer);
      queueMicrotask(() => this.onload?.());
    }
  }
  vi.stubGlobal("XMLHttpRequest", FakeXhr);
  return sent;
}

const RESULT = { import_id: "i1", duplicate: false, accepted: 1, rejected: 0, exceptions: 0,
  awaiting_copy: 0, errors: [] };

describe("uploading a read file", () => {
  beforeEach(() => resetAuthForTests({ accessToken: "old", refreshToken: "r".repeat(12),
    role: "billing_tech", username: "tess", expiresAt: Date.now() + 60_000 }));
  afterEach(() => vi.unstubAllGlobals());

  it("sends the file with the token and the key, and reports progress to the end", async () => {
    const sent = fakeXhr([[200, RESULT]]);
    const progress: number[] = [];
    const file = new File(["meter_serial,read_date,reading\n"], "route.csv");
    expect(await uploadReads("handheld", file, "key-1", (f) => progress.push(f)))
      .toEqual(RESULT);
    expect(sent[0]?.url).toBe("/api/billing/reads/imports/handheld");
    expect(sent[0]?.headers).toEqual({ Authorization: "Bearer old", "Idempotency-Key": "key-1" });
    expect((sent[0]?.body?.get("file") as File).name).toBe("route.csv");
    expect(progress).toEqual([0.5, 1]);
  });

  it("refreshes the session once on a 401 and repeats with the same key", async () => {
    const sent = fakeXhr([[401, { title: "Unauthorized", status: 401 }], [200, RESULT]]);
    vi.stubGlobal("fetch", vi.fn(async () => new Response(JSON.stringify({
      access_token: "new", refresh_token: "s".repeat(12), role: "billing_tech",
      expires_in: 900, token_type: "bearer" }), { status: 200 })));
    await uploadReads("ami", new File(["x"], "ami.csv"), "key-2", () => {});
    expect(sent.map((s) => [s.headers.Authorization, s.headers["Idempotency-Key"]])).toEqual([
      ["Bearer old", "key-2"], ["Bearer new", "key-2"]]);
    expect(getSession()?.accessToken).toBe("new");
  });

  it("turns a refused file into a readable problem", async () => {
    fakeXhr([[422, { title: "Unprocessable", status: 422, detail: "no header line" }]]);
    await expect(uploadReads("handheld", new File(["x"], "bad.csv"), "k", () => {}))
      .rejects.toThrow(ApiProblem);
  });
});
