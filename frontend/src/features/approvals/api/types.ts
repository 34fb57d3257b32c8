/** Answer types taken from the generated paths (several schema names collide across services). */
import type { paths } from "@/api/schema";

type Ok<R> = R extends { 200: { content: { "application/json": infer T } } } ? T
  : R extends { 201: { content: { "application/json": infer T } } } ? T : never;

/** The JSON a GET of `P` answers with. */
export type GetOk<P extends keyof paths> =
  paths[P] extends { get: { responses: infer R } } ? Ok<R> : never;

/** The JSON a POST to `P` answers with. */
export type PostOk<P extends keyof paths> =
  paths[P] extends { post: { responses: infer R } } ? Ok<R> : never;

export type Run = GetOk<"/api/billing/runs">[number];
export type Adjustment = GetOk<"/api/billing/adjustments">[number];
export type Refund = GetOk<"/api/payments/refunds">[number];
export type NoticeBatch = GetOk<"/api/collections/notices/awaiting-approval">["batches"][number];
export type FieldOrder = GetOk<"/api/collections/field/orders">[number];
export type Drawer = GetOk<"/api/payments/drawers">[number];
export type Deposit = GetOk<"/api/payments/bank-deposits">[number];
export type WriteOff = GetOk<"/api/collections/write-offs">[number];
export type Reversal = GetOk<"/api/collections/late-charges/reversals">[number];
export type Transfer = GetOk<"/api/payments/transfers">[number];
export type Rebate = GetOk<"/api/accounts/rebates/applications">[number];
