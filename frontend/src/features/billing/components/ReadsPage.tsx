import { Stack, Tabs, Title } from "@mantine/core";
import { useSearchParams } from "react-router-dom";

import { AwaitingMeter } from "./AwaitingMeter";
import { ReadThresholdsCard } from "./BillingSettings";
import { ExceptionsWorklist } from "./ExceptionsWorklist";
import { ImportReads } from "./ImportReads";
import { UnreadMeters } from "./UnreadMeters";

const TABS = ["import", "exceptions", "unread"] as const;

/** The billing technician's reads: imports, the exceptions worklist, unread meters. */
export function ReadsPage() {
  const [params, setParams] = useSearchParams();
  const tab = TABS.find((t) => t === params.get("tab")) ?? "import";
  return (
    <Stack>
      <Title order={1} size="h3">Meter reads</Title>
      <Tabs value={tab} onChange={(t) => setParams(t ? { tab: t } : {})} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="import">Import</Tabs.Tab>
          <Tabs.Tab value="exceptions">Exceptions</Tabs.Tab>
          <Tabs.Tab value="unread">Unread meters</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="import" pt="md">
          <Stack><ImportReads /><AwaitingMeter /></Stack>
        </Tabs.Panel>
        <Tabs.Panel value="exceptions" pt="md">
          <Stack><ExceptionsWorklist /><ReadThresholdsCard /></Stack>
        </Tabs.Panel>
        <Tabs.Panel value="unread" pt="md"><UnreadMeters /></Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
