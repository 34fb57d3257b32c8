import { Stack, Tabs, Title } from "@mantine/core";
import { useSearchParams } from "react-router-dom";

import { DayEnd } from "./DayEnd";
import { Deposits } from "./Deposits";
import { Lockbox } from "./Lockbox";
import { MailBatches } from "./MailBatches";
import { Refunds } from "./Refunds";
import { Returns } from "./Returns";

const TABS = [
  { value: "batches", label: "Mail batches", body: <MailBatches /> },
  { value: "lockbox", label: "Lockbox", body: <Lockbox /> },
  { value: "returns", label: "Returns", body: <Returns /> },
  { value: "refunds", label: "Refunds", body: <Refunds /> },
  { value: "deposits", label: "Bank deposits", body: <Deposits /> },
  { value: "dayend", label: "End of day", body: <DayEnd /> },
];

/** The cashiering back office; the tab is in the address, so a link opens the right one. */
export function CashieringPage() {
  const [params, setParams] = useSearchParams();
  const tab = params.get("tab") ?? "batches";
  return (
    <Stack>
      <Title order={1} size="h3">Cashiering</Title>
      <Tabs value={tab} onChange={(v) => setParams({ tab: v ?? "batches" }, { replace: true })}
        keepMounted={false}>
        <Tabs.List>
          {TABS.map((t) => <Tabs.Tab key={t.value} value={t.value}>{t.label}</Tabs.Tab>)}
        </Tabs.List>
        {TABS.map((t) => <Tabs.Panel key={t.value} value={t.value} pt="md">{t.body}</Tabs.Panel>)}
      </Tabs>
    </Stack>
  );
}
