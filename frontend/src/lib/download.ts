/**
 * A file the API answers with (CSV, PDF), fetched with the session's token and saved under the
 * server's file name. Used by the billing and reports screens for their downloads.
 */
import { authFetch } from "@/lib/api";
import { ApiProblem, toProblem } from "@/lib/problem";

const ORIGIN = globalThis.location?.origin ?? "";

/** The file name of a `Content-Disposition` header, or `fallback`. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  const m = /filename="?([^";]+)"?/i.exec(disposition ?? "");
  return m?.[1] ?? fallback;
}

/** Fetches `path` (with its query) and hands the answer to the browser as a download. */
export async function downloadFile(path: string, fallback: string): Promise<string> {
  const response = await authFetch(new Request(ORIGIN + path));
  if (!response.ok) {
    let body: unknown = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    throw new ApiProblem(toProblem(body, response.status, response.statusText));
  }
  const name = fileNameOf(response.headers.get("Content-Disposition"), fallback);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}
