import { Alert, Loader, Stack, Tabs } from "@mantine/core";
import { useParams } from "react-router-dom";

import { useSession } from "@/lib/auth";
import { can } from "@/lib/permissions";

import {
  useAccount, useAging, useAgreements, useCustomer, useLedger,
} from "../api/queries";
import { AccountHeader } from "./AccountHeader";
import { BalancePanel } from "./BalancePanel";
import { ContactPanel } from "./ContactPanel";
import { LedgerPanel } from "./LedgerPanel";
import { ServicePanel } from "./ServicePanel";

/** Everything about one account on one page, each part from the service that owns it. */
export function Account360Page() {
  const { number = "" } = useParams();
  const role = useSession()?.role;
  const account = useAccount(number);
  const id = account.data?.id;
  const customer = useCustomer(account.data?.customer_id);
  const agreements = useAgreements(id);
  const ledger = useLedger(id);
  const aging = useAging(id);

  if (account.isLoading) return <Loader aria-label="Loading account" />;
  if (!account.data) {
    return <Alert color="red" title="Account not found">No account numbered {number}.</Alert>;
  }
  const entries = ledger.data?.entries ?? [];
  return (
    <Stack>
      <AccountHeader account={account.data} customer={customer.data} />
      <BalancePanel ledger={ledger.data} aging={aging.data} />
      <Tabs defaultValue="service" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="service">Service</Tabs.Tab>
          <Tabs.Tab value="bills">Bills</Tabs.Tab>
          <Tabs.Tab value="payments">Payments</Tabs.Tab>
          <Tabs.Tab value="ledger">Ledger</Tabs.Tab>
          <Tabs.Tab value="contacts">Contacts</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="service" pt="md">
          <ServicePanel agreements={agreements.data ?? []} />
        </Tabs.Panel>
        <Tabs.Panel value="bills" pt="md">
          <LedgerPanel entries={entries} kinds={["bill"]} label="Bills" />
        </Tabs.Panel>
        <Tabs.Panel value="payments" pt="md">
          <LedgerPanel entries={entries} kinds={["payment"]} label="Payments" />
        </Tabs.Panel>
        <Tabs.Panel value="ledger" pt="md">
          <LedgerPanel entries={entries} label="Ledger" />
        </Tabs.Panel>
        <Tabs.Panel value="contacts" pt="md">
          <ContactPanel accountId={account.data.id} canWrite={can(role, "contacts.write")} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
