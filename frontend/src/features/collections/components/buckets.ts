import type { components } from "@/api/schema";

export type BucketKey = keyof components["schemas"]["Buckets"];

/** Aging's buckets in order, as collections names them (docs/collections.md, Aging). */
export const BUCKETS: { key: BucketKey; label: string }[] = [
  { key: "current", label: "Current" },
  { key: "days_1_30", label: "1–30 days" },
  { key: "days_31_60", label: "31–60 days" },
  { key: "days_61_90", label: "61–90 days" },
  { key: "days_91_120", label: "91–120 days" },
  { key: "days_over_120", label: "Over 120 days" },
];
