/** RFC 9457 problem bodies, as every Tapline service answers errors, turned into readable text. */

export interface FieldError {
  field: string;
  message: string;
}

export interface ProblemBody {
  type?: string;
  title: string;
  status: number;
  detail?: string | null;
  code?: string | null;
  errors?: FieldError[] | null;
  request_id?: string | null;
}

/** A failed API call: thrown by `unwrap`, shown by the query client's notifications. */
export class ApiProblem extends Error {
  readonly problem: ProblemBody;

  constructor(problem: ProblemBody) {
    super(describeProblem(problem));
    this.name = "ApiProblem";
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }
}

function isProblem(value: unknown): value is ProblemBody {
  return typeof value === "object" && value !== null && "title" in value && "status" in value;
}

/** Whatever came back (a problem document, FastAPI's plain `detail`, text) as a problem. */
export function toProblem(body: unknown, status: number, statusText = ""): ProblemBody {
  if (isProblem(body)) return body;
  if (typeof body === "object" && body !== null && "detail" in body) {
    const detail = body.detail;
    return { title: statusText || `Error ${status}`, status,
      detail: typeof detail === "string" ? detail : JSON.stringify(detail) };
  }
  return { title: statusText || `Error ${status}`, status,
    detail: typeof body === "string" && body ? body : null };
}

/** A field path from the API (`body.amount`, `query.q`) in the words a clerk sees. */
export function fieldLabel(field: string): string {
  const last = field.split(".").filter((p) => !["body", "query", "path", "header"].includes(p));
  const name = last.join(" ") || field;
  return name.replace(/_/g, " ").replace(/^\w/, (c) => c.toUpperCase());
}

/** One line for the title's explanation, then one line per offending field. */
export function describeProblem(problem: ProblemBody): string {
  const lines: string[] = [];
  if (problem.detail) lines.push(problem.detail);
  for (const e of problem.errors ?? []) lines.push(`${fieldLabel(e.field)}: ${e.message}`);
  if (lines.length === 0) lines.push(problem.title);
  return lines.join("\n");
}
