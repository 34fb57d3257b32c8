import type { ConsumptionRow, RegisterRow } from "./api/runs";
import { classBars } from "./classChart";
import { importSummary } from "./importSummary";
import { registerCsv } from "./registerCsv";
import { runRequest } from "./runForm";

describe("what an import did, at a glance", () => {
  const base = { import_id: "i", duplicate: false, accepted: 0, rejected: 0, exceptions: 0,
    awaiting_copy: 0, errors: [] };

  it("says a file imported twice changed nothing", () => {
    expect(importSummary({ ...base, duplicate: true, accepted: 5 }).text)
      .toBe("This file was imported before: nothing changed.");
  });

  it("counts accepted, rejected and exceptions, red when lines were refused", () => {
    const s = importSummary({ ...base, accepted: 12, rejected: 1, exceptions: 2 });
    expect(s.text).toBe("12 reads accepted, 1 line rejected, 2 exceptions to work.");
    expect(s.color).toBe("red");
    expect(importSummary({ ...base, accepted: 1 }).color).toBe("green");
  });
});

describe("the billing register as CSV", () => {
  const row: RegisterRow = { bill_id: "b", account_number: "100027457",
    name: "=HYPERLINK(\"x\")", status: "final", water: "10.00", wastewater: "-2.50",
    other: "0.00", total: "7.50" };

  it("keeps amounts as the API gave them and defuses a name a spreadsheet would run", () => {
    const lines = registerCsv([row]).split("\r\n");
    expect(lines[0]).toBe("account_number,name,status,water,wastewater,other,total");
    expect(lines[1]).toBe("100027457,\"'=HYPERLINK(\"\"x\"\")\",final,10.00,-2.50,0.00,7.50");
  });
});

describe("run totals by class for the chart", () => {
  it("puts one bar per class with a series per service", () => {
    const rows: ConsumptionRow[] = [
      { service: "water", rate_class: "RES", accounts: 2, quantity: "20", amount: "61.10" },
      { service: "wastewater", rate_class: "RES", accounts: 2, quantity: "0", amount: "40.00" },
      { service: "water", rate_class: "COM", accounts: 1, quantity: "50", amount: "150.05" },
    ];
    const { data, services } = classBars(rows);
    expect(services).toEqual(["wastewater", "water"]);
    expect(data).toEqual([
      { rate_class: "COM", water: 150.05, wastewater: 0 },
      { rate_class: "RES", water: 61.1, wastewater: 40 },
    ]);
  });
});

describe("the preview form", () => {
  it("sends trimmed fields, no empty messages, and leaves an empty bill date to the server", () => {
    expect(runRequest({ cycle: " C1 ", period_start: "2026-02-01", period_end: "2026-02-28",
      bill_date: "", messages: "Water is precious\n\n  Office closed Friday " })).toEqual({
      cycle: "C1", period_start: "2026-02-01", period_end: "2026-02-28", bill_date: null,
      messages: ["Water is precious", "Office closed Friday"] });
  });
});
