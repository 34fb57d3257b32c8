import { describeProblem, toProblem } from "./problem";

describe("problem bodies shown readably", () => {
  it("names each offending field in a clerk's words", () => {
    const text = describeProblem({
      title: "Unprocessable", status: 422, detail: "The payment was refused",
      errors: [{ field: "body.account_number", message: "check digit does not match" }],
    });
    expect(text).toBe("The payment was refused\nAccount number: check digit does not match");
  });

  it("falls back to the title when there is nothing else", () => {
    expect(describeProblem({ title: "Not Found", status: 404 })).toBe("Not Found");
  });

  it("turns a plain FastAPI detail into a problem", () => {
    expect(toProblem({ detail: "Not allowed" }, 403, "Forbidden")).toMatchObject(
      { title: "Forbidden", status: 403, detail: "Not allowed" });
  });
});
