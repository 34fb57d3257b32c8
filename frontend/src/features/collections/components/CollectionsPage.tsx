import { Loader, Stack, Tabs, Title } from "@mantine/core";
import { lazy, Suspense, type ComponentType } from "react";
import { useNavigate, useParams } from "react-router-dom";

import { useSession } from "@/lib/auth";
import { can, type Capability } from "@/lib/permissions";

import { CallList } from "./CallList";

// Each tab loads when first opened (the aging chart brings the charting library).
const AgingChart = lazy(() => import("./AgingChart").then((m) => ({ default: m.AgingChart })));
const ArrangementsList = lazy(() =>
  import("./ArrangementsList").then((m) => ({ default: m.ArrangementsList })));
const AwaitingApproval = lazy(() =>
  import("./AwaitingApproval").then((m) => ({ default: m.AwaitingApproval })));
const ClosedAccounts = lazy(() => import("./ClosedAccounts").then((m) => ({ default: m.ClosedAccounts })));
const DailyJob = lazy(() => import("./DailyJob").then((m) => ({ default: m.DailyJob })));
const Liens = lazy(() => import("./Liens").then((m) => ({ default: m.Liens })));
const TomorrowDisconnects = lazy(() =>
  import("./TomorrowDisconnects").then((m) => ({ default: m.TomorrowDisconnects })));

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

const PANELS: Record<string, ComponentType> = {
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
        {current && Panel && <Tabs.Panel value={current} pt="md">
          <Suspense fallback={<Loader role="status" aria-label="Loading" />}><Panel /></Suspense>
        </Tabs.Panel>}
      </Tabs>
    </Stack>
  );
}
