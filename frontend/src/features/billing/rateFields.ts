/**
 * The next rate schedule version starts as a copy of the latest: its structure (services,
 * classes, blocks) is kept and every price is offered for editing, as a district changes its
 * rates. Prices stay decimal strings from input to API (never floats).
 */
import type { RateVersion, RateVersionIn } from "./api/rates";

export interface PriceField {
  /** Path into the version: `classes.1.blocks.0.price`. */
  key: string;
  group: string;
  label: string;
  value: string;
}

function blockLabel(width: string | null | undefined, from: number, index: number): string {
  if (width === null || width === undefined) return index === 0 ? "all use" : `over ${from}`;
  const to = from + Number(width);
  return `${from}–${to}`;
}

/** Every price of a version, grouped by what it charges for. */
export function priceFields(v: RateVersion): PriceField[] {
  const out: PriceField[] = [];
  v.fixed.forEach((f, i) => out.push({ key: `fixed.${i}.amount`, group: "Fixed charges",
    label: `${f.service}, ${f.meter_size} meter`, value: String(f.amount) }));
  v.classes.forEach((c, i) => {
    const group = `${c.service} · ${c.rate_class}`;
    let from = 0;
    (c.blocks ?? []).forEach((b, j) => {
      out.push({ key: `classes.${i}.blocks.${j}.price`, group,
        label: `Block ${j + 1} (${blockLabel(b.width, from, j)})`, value: String(b.price) });
      if (b.width !== null && b.width !== undefined) from += Number(b.width);
    });
    if (c.minimum_charge !== null && c.minimum_charge !== undefined) {
      out.push({ key: `classes.${i}.minimum_charge`, group, label: "Minimum charge",
        value: String(c.minimum_charge) });
    }
  });
  v.surcharges?.forEach((s, i) => out.push({ key: `surcharges.${i}.price`,
    group: "Drought surcharges", label: `${s.service}, stage ${s.stage}`,
    value: String(s.price) }));
  v.fees?.forEach((f, i) => out.push({ key: `fees.${i}.amount`, group: "Fees",
    label: `${f.service}: ${f.name}`, value: String(f.amount) }));
  return out;
}

const PRICE = /^\d{1,6}(\.\d{1,6})?$/;

/** Why a typed price is not acceptable (null: fine). */
export function priceProblem(value: string): string | null {
  if (value.trim() === "") return "Enter a price";
  if (!PRICE.test(value.trim())) return "A price like 3.25 (up to 6 decimal places)";
  return null;
}

export interface NextVersionHeader {
  name: string;
  effective_date: string;
  drought_stage: number;
}

/** The version to create: `base`'s structure with the edited prices and the new header. */
export function nextVersion(base: RateVersion, prices: Record<string, string>,
                            header: NextVersionHeader): RateVersionIn {
  const { id: _id, ...rest } = base;
  const copy = JSON.parse(JSON.stringify(rest)) as RateVersionIn;
  for (const [key, value] of Object.entries(prices)) {
    const parts = key.split(".");
    let target: Record<string, unknown> = copy;
    for (const part of parts.slice(0, -1)) {
      target = target[part] as Record<string, unknown>;
      if (target === undefined) throw new Error(`no such price: ${key}`);
    }
    target[parts[parts.length - 1] ?? ""] = value.trim();
  }
  return { ...copy, name: header.name.trim(), effective_date: header.effective_date,
    drought_stage: header.drought_stage };
}

/** The prices that differ from the base version (what the reviewer should look at). */
export function changedPrices(fields: PriceField[], prices: Record<string, string>): PriceField[] {
  return fields.filter((f) => {
    const typed = prices[f.key];
    return typed !== undefined && typed.trim() !== f.value;
  });
}
