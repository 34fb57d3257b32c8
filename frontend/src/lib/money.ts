/**
 * Money arrives as decimal strings ("1234.5", "-12.34") and is shown without ever becoming a
 * float; sums (a drawer's count) are done in whole cents with BigInt.
 */

const DECIMAL = /^(-?)(\d*)(?:\.(\d*))?$/;

/** "1234.5" → 123450n cents; throws on anything that is not a plain decimal. */
export function toCents(value: string): bigint {
  const m = DECIMAL.exec(value.trim());
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) throw new Error(`not an amount: ${value}`);
  const frac = (m[3] ?? "").padEnd(2, "0");
  if (frac.length > 2 && /[1-9]/.test(frac.slice(2))) throw new Error(`more than cents: ${value}`);
  const cents = BigInt(m[2] || "0") * 100n + BigInt(frac.slice(0, 2));
  return m[1] === "-" ? -cents : cents;
}

/** 123450n → "1234.50": the form the API takes amounts in. */
export function fromCents(cents: bigint): string {
  const sign = cents < 0n ? "-" : "";
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, "0")}`;
}

/** "-1234.5" → "-$1,234.50"; null or undefined → "—". */
export function formatMoney(value: string | null | undefined): string {
  if (value === null || value === undefined || value === "") return "—";
  const cents = toCents(value);
  const abs = cents < 0n ? -cents : cents;
  const dollars = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const rest = (abs % 100n).toString().padStart(2, "0");
  return `${cents < 0n ? "-" : ""}$${dollars}.${rest}`;
}
