/** Answer types from the generated paths (schema names collide across services). */
import type { paths } from "@/api/schema";

type Ok<R> = R extends { 200: { content: { "application/json": infer T } } } ? T
  : R extends { 201: { content: { "application/json": infer T } } } ? T : never;
type GetOk<P extends keyof paths> =
  paths[P] extends { get: { responses: infer R } } ? Ok<R> : never;
type PostBody<P extends keyof paths> =
  paths[P] extends { post: { requestBody?: { content: { "application/json": infer B } } } }
    ? B : never;

export type Batch = GetOk<"/api/payments/batches/{batch_id}">;
export type BatchIn = PostBody<"/api/payments/batches">;
export type MailPaymentIn = PostBody<"/api/payments/batches/{batch_id}/payments">;
export type LockboxImport = GetOk<"/api/payments/lockbox/imports/{import_id}">;
export type SuspenseLine = GetOk<"/api/payments/lockbox/suspense">[number];
export type Return = GetOk<"/api/payments/returns">[number];
export type ReturnIn = PostBody<"/api/payments/returns">;
export type Refund = GetOk<"/api/payments/refunds">[number];
export type RefundStatus = NonNullable<NonNullable<
  paths["/api/payments/refunds"]["get"]["parameters"]["query"]>["status"]>;
export type CheckRequest = GetOk<"/api/payments/refunds/check-requests">[number];
export type Ready = GetOk<"/api/payments/bank-deposits/ready">[number];
export type Deposit = GetOk<"/api/payments/bank-deposits">[number];
export type DepositStatus = NonNullable<NonNullable<
  paths["/api/payments/bank-deposits"]["get"]["parameters"]["query"]>["status"]>;
export type DayEnd = GetOk<"/api/payments/dayend">;
