/** Billing's usage answers (services/billing/usage/schemas.py), until the generated client has
 * them. Decimals arrive as strings. */
export interface HourlySeries {
  account_id: string; meter_id: string; start: string; end: string; timezone: string;
  unit: "gallons"; days: { day: string; gallons: (string | null)[] }[];
}
export interface DailySeries {
  account_id: string; meter_id: string; start: string; end: string; unit: "gallons";
  total_gallons: string; days: { day: string; gallons: string; hours_measured: number }[];
}
interface PeriodUse { start: string; end: string; gallons: string; days_measured: number; gallons_per_day: string }
export interface Comparison {
  account_id: string; meter_id: string; current: PeriodUse; last_year: PeriodUse;
  change_percent: string | null;
}
export interface Projection {
  account_id: string; period_start: string; period_end: string; as_of: string;
  days_in_period: number; days_measured: number; projected_total: string; note: string;
}
export interface LeakAlert {
  id: string; account_id: string; meter_id: string; kind: "continuous" | "burst";
  status: "open" | "ended"; first_hour: string; last_hour: string; detected_on: string;
  last_seen_on: string; threshold_gph: string; min_hours: number; peak_gph: string;
  hours: { at: string; gallons: string }[];
}
export interface AlertPreferences { email: boolean; text: boolean; continuous: boolean; burst: boolean }
export interface AlertPreferencesOut extends AlertPreferences { account_id: string; saved: boolean }
