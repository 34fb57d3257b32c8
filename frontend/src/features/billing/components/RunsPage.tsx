import { Badge, Card, Group, Loader, SegmentedControl, Stack, Table, Text, Title }
  from "@mantine/core";
import { useState } from "react";
import { Link } from "react-router-dom";

import { Money } from "@/components/Money";
import { useSession } from "@/lib/auth";
import { can } from "@/lib/permissions";

import { useRuns, type RunStatus } from "../api/runs";
import { STATUS_COLORS } from "../runActions";
import { ReviewThresholdsCard } from "./BillingSettings";
import { CreateRun } from "./CreateRun";

type Filter = RunStatus | "all";

/** Bill runs: preview a cycle, and every run to review, approve or report on. */
export function RunsPage() {
  const role = useSession()?.role;
  const [filter, setFilter] = useState<Filter>(
    role === "supervisor" ? "prepared" : "all");
  const runs = useRuns(filter === "all" ? null : filter);
  return (
    <Stack>
      <Title order={1} size="h3">Bill runs</Title>
      {can(role, "runs.work") && <CreateRun />}
      <Card withBorder>
        <Group justify="space-between" mb="sm">
          <Title order={2} size="h4">Runs</Title>
          <SegmentedControl value={filter} onChange={(v) => setFilter(v as Filter)}
            aria-label="Run status"
            data={[{ value: "all", label: "All" }, { value: "preview", label: "Preview" },
              { value: "prepared", label: "Awaiting approval" },
              { value: "approved", label: "Approved" }, { value: "finalised", label: "Final" }]} />
        </Group>
        {runs.isLoading && <Loader role="status" aria-label="Loading runs" />}
        {runs.data?.length === 0 && <Text c="gray.7">No runs.</Text>}
        {runs.data && runs.data.length > 0 && (
          <Table.ScrollContainer minWidth={720}>
            <Table striped highlightOnHover aria-label="Bill runs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Run (cycle, period)</Table.Th><Table.Th>Kind</Table.Th>
                  <Table.Th>Status</Table.Th><Table.Th ta="right">Bills</Table.Th>
                  <Table.Th ta="right">Flagged</Table.Th><Table.Th ta="right">Total</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {runs.data.map((r) => (
                  <Table.Tr key={r.id}>
                    <Table.Td>
                      <Link to={`/billing/runs/${r.id}`}>
                        {r.cycle}, {r.period_start} – {r.period_end}</Link>
                    </Table.Td>
                    <Table.Td>{r.kind}</Table.Td>
                    <Table.Td><Badge color={STATUS_COLORS[r.status] ?? "gray.7"}>
                      {r.status}</Badge></Table.Td>
                    <Table.Td ta="right">{r.bills}</Table.Td>
                    <Table.Td ta="right">{r.flagged}</Table.Td>
                    <Table.Td ta="right"><Money value={r.total} /></Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
      <ReviewThresholdsCard />
    </Stack>
  );
}
