/**
 * The approvals inbox reads each service's own pending list (no service keeps anyone else's) and
 * decides in place through each service's own approve/reject/sign-off route.
 */
import { useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import dayjs from "dayjs";

import { api, unwrap } from "@/lib/api";

import {
  fromAdjustment, fromDeposit, fromDoorTag, fromDrawer, fromNoticeBatch, fromRebate, fromRefund,
  fromReversal, fromRun, fromTransfer, fromWriteOff, type Kind, type PendingItem,
} from "../pending";

const KEY = ["approvals"] as const;

type Source = { kind: Kind; load: () => Promise<PendingItem[]> };

const SOURCES: Source[] = [
  { kind: "bill_run", load: async () => unwrap(await api.GET("/api/billing/runs",
    { params: { query: { status: "prepared", limit: 200 } } })).map(fromRun) },
  { kind: "adjustment", load: async () => unwrap(await api.GET("/api/billing/adjustments",
    { params: { query: { status: "pending" } } })).map(fromAdjustment) },
  { kind: "refund", load: async () => unwrap(await api.GET("/api/payments/refunds",
    { params: { query: { status: "pending", limit: 500 } } })).map(fromRefund) },
  { kind: "transfer", load: async () => unwrap(await api.GET("/api/payments/transfers",
    { params: { query: { status: "pending" } } })).map(fromTransfer) },
  { kind: "late_charge_reversal", load: async () => unwrap(await api.GET(
    "/api/collections/late-charges/reversals", { params: { query: { status: "pending" } } }))
    .map(fromReversal) },
  { kind: "write_off", load: async () => unwrap(await api.GET("/api/collections/write-offs",
    { params: { query: { status: "pending", limit: 1000 } } })).map(fromWriteOff) },
  { kind: "rebate", load: async () => unwrap(await api.GET(
    "/api/accounts/rebates/applications", { params: { query: { status: "pending", limit: 500 } } }))
    .map(fromRebate) },
  { kind: "notice_batch", load: async () => unwrap(await api.GET(
    "/api/collections/notices/awaiting-approval")).batches.map(fromNoticeBatch) },
  { kind: "door_tag", load: async () => unwrap(await api.GET("/api/collections/field/orders",
    { params: { query: { kind: "door_tag", status: "awaiting_approval", limit: 1000 } } }))
    .map(fromDoorTag) },
  { kind: "drawer", load: async () => unwrap(await api.GET("/api/payments/drawers",
    { params: { query: { status: "closed", limit: 500 } } })).map(fromDrawer) },
  { kind: "deposit", load: async () => unwrap(await api.GET("/api/payments/bank-deposits",
    { params: { query: { status: "prepared", limit: 500 } } })).map(fromDeposit) },
];

/** Every source's pending list; one failing service leaves the others' items showing. */
export function useInbox() {
  return useQueries({
    queries: SOURCES.map((s) => ({ queryKey: [...KEY, s.kind], queryFn: s.load })),
    combine: (results) => ({
      items: results.flatMap((r) => r.data ?? []),
      loading: results.some((r) => r.isLoading),
      failed: SOURCES.filter((_, i) => results[i]?.isError).map((s) => s.kind),
    }),
  });
}

/** The approver's dollar authority (gateway's `/me`). */
export function useMe() {
  return useQuery({
    queryKey: ["me"],
    queryFn: async () => unwrap(await api.GET("/api/auth/me")),
    staleTime: 5 * 60_000,
  });
}

interface Decide {
  item: PendingItem;
  note: string;
  key: string;
}

const H = (key: string) => ({ "Idempotency-Key": key });
/** The day a decision is taken, in the office's own calendar (a rebate's letter is dated by it). */
const today = () => dayjs().format("YYYY-MM-DD");

async function approve({ item, note, key }: Decide): Promise<unknown> {
  const id = item.id;
  const headers = H(key);
  const n = note.trim() || null;
  switch (item.kind) {
    case "bill_run":
      return unwrap(await api.POST("/api/billing/runs/{run_id}/approve",
        { params: { path: { run_id: id } }, headers }));
    case "adjustment":
      return unwrap(await api.POST("/api/billing/adjustments/{adjustment_id}/approve",
        { params: { path: { adjustment_id: id } }, headers }));
    case "refund":
      return unwrap(await api.POST("/api/payments/refunds/{refund_id}/approve",
        { params: { path: { refund_id: id } }, headers }));
    case "transfer":
      return unwrap(await api.POST("/api/payments/transfers/{transfer_id}/approve",
        { params: { path: { transfer_id: id } }, headers }));
    case "late_charge_reversal":
      return unwrap(await api.POST("/api/collections/late-charges/reversals/{reversal_id}/approve",
        { params: { path: { reversal_id: id } }, body: { note: n }, headers }));
    case "write_off":
      return unwrap(await api.POST("/api/collections/write-offs/{write_off_id}/approve",
        { params: { path: { write_off_id: id } }, body: {}, headers }));
    case "notice_batch":
      return unwrap(await api.POST("/api/collections/notices/batches/{batch_id}/approve",
        { params: { path: { batch_id: id } }, headers }));
    case "door_tag":
      return unwrap(await api.POST("/api/collections/field/door-tags/approve",
        { body: { order_ids: [id] }, headers }));
    case "drawer":
      return unwrap(await api.POST("/api/payments/drawers/{drawer_id}/sign-off",
        { params: { path: { drawer_id: id } }, body: { note: n }, headers }));
    case "deposit":
      return unwrap(await api.POST("/api/payments/bank-deposits/{deposit_id}/sign-off",
        { params: { path: { deposit_id: id } }, body: { note: n }, headers }));
    case "rebate":
      return unwrap(await api.POST("/api/accounts/rebates/applications/{application_id}/approve",
        { params: { path: { application_id: id } }, body: { on_date: today(), note: n },
          headers }));
  }
}

async function reject({ item, note, key }: Decide): Promise<unknown> {
  const id = item.id;
  const headers = H(key);
  const reason = note.trim();
  switch (item.kind) {
    case "bill_run":
      return unwrap(await api.POST("/api/billing/runs/{run_id}/reopen",
        { params: { path: { run_id: id } }, headers }));
    case "adjustment":
      return unwrap(await api.POST("/api/billing/adjustments/{adjustment_id}/reject",
        { params: { path: { adjustment_id: id } }, body: { reason }, headers }));
    case "refund":
      return unwrap(await api.POST("/api/payments/refunds/{refund_id}/reject",
        { params: { path: { refund_id: id } }, body: { reason }, headers }));
    case "transfer":
      return unwrap(await api.POST("/api/payments/transfers/{transfer_id}/reject",
        { params: { path: { transfer_id: id } }, body: { reason }, headers }));
    case "late_charge_reversal":
      return unwrap(await api.POST("/api/collections/late-charges/reversals/{reversal_id}/reject",
        { params: { path: { reversal_id: id } }, body: { note: reason || null }, headers }));
    case "write_off":
      return unwrap(await api.POST("/api/collections/write-offs/{write_off_id}/reject",
        { params: { path: { write_off_id: id } }, body: { reason }, headers }));
    case "notice_batch":
      return unwrap(await api.POST("/api/collections/notices/batches/{batch_id}/reject",
        { params: { path: { batch_id: id } }, body: { reason }, headers }));
    case "rebate":
      return unwrap(await api.POST("/api/accounts/rebates/applications/{application_id}/deny",
        { params: { path: { application_id: id } }, body: { on_date: today(), reason }, headers }));
    default:
      throw new Error(`${item.kind} cannot be turned down here`);
  }
}

/** Approve (or sign off) or turn down one item; the inbox reloads that item's list. */
export function useDecide() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (d: Decide & { verdict: "approve" | "reject" }) =>
      d.verdict === "approve" ? approve(d) : reject(d),
    onSuccess: (_, d) => {
      void client.invalidateQueries({ queryKey: [...KEY, d.item.kind] });
      if (d.item.kind === "drawer") void client.invalidateQueries({ queryKey: ["drawers"] });
      if (d.item.kind === "deposit") void client.invalidateQueries({ queryKey: ["deposits"] });
      if (d.item.kind === "rebate") void client.invalidateQueries({ queryKey: ["rebates"] });
    },
  });
}

/** An account's number from its id (for a link to Account 360); quiet when it cannot. */
export function useAccountNumber(accountId: string | null, known: string | null) {
  return useQuery({
    queryKey: ["account-by-id", accountId],
    enabled: !!accountId && !known,
    retry: false,
    meta: { quiet: true },
    staleTime: 10 * 60_000,
    queryFn: async () => unwrap(await api.GET("/api/accounts/accounts/{account_id}",
      { params: { path: { account_id: accountId! } } })).number,
  });
}
