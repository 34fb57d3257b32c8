/**
 * Read-file upload with progress. openapi-fetch (fetch) cannot report upload progress, so this
 * one call goes through XMLHttpRequest, with the same token, the same one refresh on a 401 and
 * the same Idempotency-Key as the typed client would send. The answer is typed by the schema.
 */
import type { components } from "@/api/schema";
import { getSession, refreshSession } from "@/lib/auth";
import { ApiProblem, toProblem } from "@/lib/problem";

export type ImportResult = components["schemas"]["ImportResult"];
export type ReadFileKind = "handheld" | "ami";

interface Sent {
  status: number;
  statusText: string;
  body: unknown;
}

function send(kind: ReadFileKind, file: File, key: string,
              onProgress: (fraction: number) => void): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/billing/reads/imports/${kind}`);
    const session = getSession();
    if (session) xhr.setRequestHeader("Authorization", `Bearer ${session.accessToken}`);
    xhr.setRequestHeader("Idempotency-Key", key);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: unknown = xhr.responseText;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: keep the text
      }
      resolve({ status: xhr.status, statusText: xhr.statusText, body });
    };
    xhr.onerror = () => reject(new Error("The upload did not reach the server"));
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
}

/** Uploads a route (handheld) or AMI file; resolves with the import's result. */
export async function uploadReads(kind: ReadFileKind, file: File, key: string,
                                  onProgress: (fraction: number) => void): Promise<ImportResult> {
  let answer = await send(kind, file, key, onProgress);
  if (answer.status === 401 && getSession() && (await refreshSession())) {
    answer = await send(kind, file, key, onProgress);
  }
  if (answer.status < 200 || answer.status >= 300) {
    throw new ApiProblem(toProblem(answer.body, answer.status, answer.statusText));
  }
  return answer.body as ImportResult;
}
