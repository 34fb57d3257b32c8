import { Stack, Tabs, Title } from "@mantine/core";
import { useNavigate, useParams } from "react-router-dom";

import { useSession } from "@/lib/auth";
import { can, type Capability } from "@/lib/permissions";

import { AgingChart } from "./AgingChart";
import { ArrangementsList } from "./ArrangementsList";
import { AwaitingApproval } from "./AwaitingApproval";
import { CallList } from "./CallList";
import { ClosedAccounts } from "./ClosedAccounts";
import { DailyJob } from "./DailyJob";
import { Liens } from "./Liens";
import { TomorrowDisconnects } from "./TomorrowDisconnects";

export const TABS: { value: string; label: string; needs: Capability }[] = [
  { value: "calls", label: "Call list", needs: "collections.read" },
  { value: "aging", label: "Aging", needs: "collections.read" },
  { value: "approvals", label: "Notices and door tags", needs: "collections.read" },
  { value: "disconnects", label: "Tomorrow's disconnects", needs: "collections.read" },
  { value: "arrangements", label: "Arrangements", needs: "collections.read" },
  { value: "closed", label: "Closed accounts", needs: "collections.read" },
  { value: "liens", label: "Liens", needs: "collections.read" },
  { value: "daily", label: "Daily job", needs: "collections.daily" },
];

const PANELS: Record<string, () => JSX.Element | null> = {
  calls: CallList, aging: AgingChart, approvals: AwaitingApproval, disconnects: TomorrowDisconnects,
  arrangements: ArrangementsList, closed: ClosedAccounts, liens: Liens, daily: DailyJob,
};

/** Collections' screens as tabs, each its own URL (`/collections/aging` …). */
export function CollectionsPage() {
  const role = useSession()?.role;
  const tabs = TABS.filter((t) => can(role, t.needs));
  const { tab } = useParams();
  const navigate = useNavigate();
  const current = tabs.find((t) => t.value === tab)?.value ?? tabs[0]?.value;
  const Panel = current ? PANELS[current] : null;
  return (
    <Stack>
      <Title order={1} size="h3">Collections</Title>
      <Tabs value={current} onChange={(v) => v && navigate(`/collections/${v}`)} keepMounted={false}>
        <Tabs.List>
          {tabs.map((t) => <Tabs.Tab key={t.value} value={t.value}>{t.label}</Tabs.Tab>)}
        </Tabs.List>
        {current && Panel && <Tabs.Panel value={current} pt="md"><Panel /></Tabs.Panel>}
      </Tabs>
    </Stack>
  );
}
