import { Anchor, Badge, Card, Group, Loader, SimpleGrid, Stack, Tabs, Text, Title }
  from "@mantine/core";
import { Link, useParams, useSearchParams } from "react-router-dom";

import { Money } from "@/components/Money";
import { useSession } from "@/lib/auth";
import { can } from "@/lib/permissions";

import { useRun, type Run } from "../api/runs";
import { canHold, flagLabel, STATUS_COLORS, FLAG_COLOR } from "../runActions";
import { RunActions } from "./RunActions";
import { RunBills } from "./RunBills";
import { RunConsumption, RunRegister } from "./RunReports";
import { Notice } from "./Notice";

const TABS = ["bills", "register", "classes"] as const;

/** One bill run: its totals and flags, its bills to drill into, its steps, its reports. */
export function RunPage() {
  const { runId = "" } = useParams();
  const run = useRun(runId);
  const role = useSession()?.role;
  const [params, setParams] = useSearchParams();
  const tab = TABS.find((t) => t === params.get("tab")) ?? "bills";
  if (run.isLoading) return <Loader role="status" aria-label="Loading run" />;
  if (!run.data) return <Notice color="gray" title="No such run">This run does not exist.</Notice>;
  const r = run.data;
  return (
    <Stack>
      <Anchor component={Link} to="/billing/runs" size="sm" c="blue.9">← Bill runs</Anchor>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={1} size="h3">
            Run of cycle {r.cycle}, {r.period_start} – {r.period_end}
          </Title>
          <Text size="sm" c="gray.7">{r.kind} run · bill date {r.bill_date} · due {r.due_date}
            {" "}· created by {r.created_by}
            {r.prepared_by ? ` · prepared by ${r.prepared_by}` : ""}
            {r.approved_by ? ` · approved by ${r.approved_by}` : ""}
            {r.finalised_by ? ` · finalised by ${r.finalised_by}` : ""}</Text>
        </div>
        <Badge size="lg" color={STATUS_COLORS[r.status] ?? "gray.7"} data-testid="run-status">
          {r.status}</Badge>
      </Group>
      <RunTotals run={r} />
      <RunActions run={r} />
      <Card withBorder>
        <Tabs value={tab} onChange={(t) => setParams(t ? { tab: t } : {})} keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="bills">Bills</Tabs.Tab>
            <Tabs.Tab value="register">Register</Tabs.Tab>
            <Tabs.Tab value="classes">Totals by class</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="bills" pt="md"><RunBills run={r} canHold={canHold(r, role)}
            canRebill={can(role, "runs.work")} />
          </Tabs.Panel>
          <Tabs.Panel value="register" pt="md"><RunRegister run={r} /></Tabs.Panel>
          <Tabs.Panel value="classes" pt="md"><RunConsumption run={r} /></Tabs.Panel>
        </Tabs>
      </Card>
    </Stack>
  );
}

function Figure({ label, children, testId }: {
  label: string; children: React.ReactNode; testId?: string;
}) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="gray.7">{label}</Text>
      <Text size="lg" fw={700} data-testid={testId}>{children}</Text>
    </Card>
  );
}

function RunTotals({ run }: { run: Run }) {
  const flags = Object.entries(run.flags).filter(([, n]) => n > 0);
  return (
    <Stack gap="xs">
      <SimpleGrid cols={{ base: 2, sm: 5 }}>
        <Figure label="Bills" testId="run-bills">{run.bills}</Figure>
        <Figure label="Total" testId="run-total"><Money value={run.total} /></Figure>
        <Figure label="Flagged for review">{run.flagged}</Figure>
        <Figure label="Held out">{run.held}</Figure>
        <Figure label="Waiting for account data">{run.held_for_copy ?? 0}</Figure>
      </SimpleGrid>
      {flags.length > 0 && (
        <Group gap="xs">
          {flags.map(([flag, n]) => (
            <Badge key={flag} color={FLAG_COLOR} variant="outline">{flagLabel(flag)}: {n}</Badge>
          ))}
        </Group>
      )}
    </Stack>
  );
}
