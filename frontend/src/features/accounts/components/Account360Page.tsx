import { Alert, Button, Card, Group, Loader, Stack, Tabs } from "@mantine/core";
import { lazy, Suspense, useState, type ComponentType } from "react";
import { useParams } from "react-router-dom";

import { useSession } from "@/lib/auth";
import { can } from "@/lib/permissions";

import { useAccountBills } from "../api/billing";
import {
  useAccount, useAging, useAgreements, useCustomer, useLedger,
} from "../api/queries";
import { AccountHeader } from "./AccountHeader";
import { AdjustmentsPanel } from "./AdjustmentsPanel";
import { BalancePanel } from "./BalancePanel";
import { BillsPanel } from "./BillsPanel";
import { ContactPanel } from "./ContactPanel";
import { AccountEditForm, CustomerEditForm, IdentityCheckForm } from "./CustomerForms";
import { DepositPanel } from "./DepositPanel";
import { LedgerPanel } from "./LedgerPanel";
import { LettersPanel } from "./LettersPanel";
import { PortalHelpPanel } from "./PortalHelpPanel";
import { ServicePanel } from "./ServicePanel";

// The chart library (recharts, ~110 KB compressed) loads when the Usage tab is first opened.
const UsagePanel = lazy(() => import("./UsagePanel").then((m) => ({ default: m.UsagePanel })));

type Edit = "customer" | "account" | "identity" | null;

/** Panels of other features that the app composes in (a feature never imports another). */
export interface Account360Slots {
  /** notify-ui: the messages sent to the account's customer (features/notifications). */
  MessagesPanel?: ComponentType<{ accountId: string }>;
  /** billing: the account's budget billing plan, enrolment and true-up (features/billing). */
  BudgetPanel?: ComponentType<{ accountId: string }>;
  /** rebates: the account's rebate applications, decisions and letters (features/conservation). */
  RebatesPanel?: ComponentType<{ accountId: string }>;
}

/**
 * Everything about one account on one page, each part from the service that owns it, and the
 * CSR's whole day on it: edits, identity, start/stop/transfer, bills and appeals, adjustments,
 * deposits, contacts and letters.
 */
export function Account360Page(
  { MessagesPanel, BudgetPanel, RebatesPanel }: Account360Slots = {},
) {
  const { number = "" } = useParams();
  const role = useSession()?.role;
  const account = useAccount(number);
  const id = account.data?.id;
  const customer = useCustomer(account.data?.customer_id);
  const agreements = useAgreements(id);
  const ledger = useLedger(id);
  const aging = useAging(id);
  const readsBills = can(role, "bills.read");
  const bills = useAccountBills(readsBills ? id : undefined);
  const [edit, setEdit] = useState<Edit>(null);
  const toggle = (e: Edit) => setEdit((now) => (now === e ? null : e));

  if (account.isLoading) return <Loader role="status" aria-label="Loading account" />;
  if (!account.data) {
    return <Alert color="red" title="Account not found">No account numbered {number}.</Alert>;
  }
  const writes = can(role, "customers.write");
  const entries = ledger.data?.entries ?? [];
  return (
    <Stack>
      <AccountHeader account={account.data} customer={customer.data} />
      {writes && (
        <Group gap="xs">
          {(["customer", "account", "identity"] as const).map((e) => (
            <Button key={e} size="xs" variant={edit === e ? "filled" : "default"}
              aria-expanded={edit === e} onClick={() => toggle(e)}
              disabled={e !== "account" && !customer.data}>
              {{ customer: "Edit customer", account: "Edit account",
                identity: "Verify identity" }[e]}
            </Button>
          ))}
        </Group>
      )}
      {writes && edit && (
        <Card withBorder>
          {edit === "customer" && customer.data && (
            <CustomerEditForm customer={customer.data} onDone={() => setEdit(null)} />
          )}
          {edit === "account" && (
            <AccountEditForm account={account.data} onDone={() => setEdit(null)} />
          )}
          {edit === "identity" && customer.data && (
            <IdentityCheckForm customerId={customer.data.id} />
          )}
        </Card>
      )}
      <BalancePanel ledger={ledger.data} aging={aging.data} />
      <Tabs defaultValue="service" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="service">Service</Tabs.Tab>
          <Tabs.Tab value="bills">Bills</Tabs.Tab>
          <Tabs.Tab value="usage">Usage</Tabs.Tab>
          <Tabs.Tab value="payments">Payments</Tabs.Tab>
          <Tabs.Tab value="ledger">Ledger</Tabs.Tab>
          <Tabs.Tab value="adjustments">Adjustments</Tabs.Tab>
          <Tabs.Tab value="deposit">Deposit</Tabs.Tab>
          <Tabs.Tab value="contacts">Contacts</Tabs.Tab>
          {MessagesPanel && <Tabs.Tab value="messages">Messages</Tabs.Tab>}
          {RebatesPanel && can(role, "rebates.read") && (
            <Tabs.Tab value="rebates">Rebates</Tabs.Tab>
          )}
          {(can(role, "portal.help") || can(role, "autopay.staff")) && (
            <Tabs.Tab value="portal">Portal help</Tabs.Tab>
          )}
        </Tabs.List>
        <Tabs.Panel value="service" pt="md">
          <ServicePanel agreements={agreements.data ?? []} accountId={account.data.id}
            customerId={account.data.customer_id} canWrite={writes} />
        </Tabs.Panel>
        <Tabs.Panel value="bills" pt="md">
          <Stack gap="xl">
            {readsBills ? (
              <BillsPanel accountId={account.data.id} bills={bills.data}
                canAppeal={can(role, "appeals.work")} />
            ) : <LedgerPanel entries={entries} kinds={["bill"]} label="Bills" />}
            {BudgetPanel && readsBills && (
              <Suspense fallback={<Loader role="status" aria-label="Loading budget billing" />}>
                <BudgetPanel accountId={account.data.id} />
              </Suspense>
            )}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="usage" pt="md">
          <Suspense fallback={<Loader role="status" aria-label="Loading the chart" />}>
            <UsagePanel bills={bills.data} />
          </Suspense>
        </Tabs.Panel>
        <Tabs.Panel value="payments" pt="md">
          <LedgerPanel entries={entries} kinds={["payment"]} label="Payments" />
        </Tabs.Panel>
        <Tabs.Panel value="ledger" pt="md">
          <LedgerPanel entries={entries} label="Ledger" />
        </Tabs.Panel>
        <Tabs.Panel value="adjustments" pt="md">
          <AdjustmentsPanel account={account.data}
            canAdjust={can(role, "adjustments.request")}
            canTransfer={can(role, "appeals.work")} />
        </Tabs.Panel>
        <Tabs.Panel value="deposit" pt="md">
          <DepositPanel accountId={account.data.id} canRelease={can(role, "deposits.release")} />
        </Tabs.Panel>
        <Tabs.Panel value="contacts" pt="md">
          <Stack gap="xl">
            <ContactPanel accountId={account.data.id} canWrite={can(role, "contacts.write")} />
            <LettersPanel accountId={account.data.id} canWrite={writes} />
          </Stack>
        </Tabs.Panel>
        {MessagesPanel && (
          <Tabs.Panel value="messages" pt="md">
            <Suspense fallback={<Loader role="status" aria-label="Loading messages" />}>
              <MessagesPanel accountId={account.data.id} />
            </Suspense>
          </Tabs.Panel>
        )}
        {RebatesPanel && can(role, "rebates.read") && (
          <Tabs.Panel value="rebates" pt="md">
            <Suspense fallback={<Loader role="status" aria-label="Loading rebates" />}>
              <RebatesPanel accountId={account.data.id} />
            </Suspense>
          </Tabs.Panel>
        )}
        <Tabs.Panel value="portal" pt="md">
          <PortalHelpPanel accountId={account.data.id} canHelpLogins={can(role, "portal.help")}
            canAutopay={can(role, "autopay.staff")} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
