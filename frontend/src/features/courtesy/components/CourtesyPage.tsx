import { Anchor, Button, Card, Group, Loader, SegmentedControl, Stack, Table, Text,
  TextInput, Title, VisuallyHidden } from "@mantine/core";
import { useState } from "react";
import { Link } from "react-router-dom";

import { ReadableAlert } from "@/components/ReadableAlert";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { useSession } from "@/lib/auth";
import { can } from "@/lib/permissions";

import { useCourtesyWorklist, useOrderLeakCheck, type CourtesyItem, type Show }
  from "../api/courtesy";
import { basis, headline, localToday, nextDay, OUTCOME_LABELS, STATUS_LABELS, units }
  from "../courtesy";
import { CallModal } from "./CallModal";

interface Placed {
  number: number;
  address: string;
  date: string;
}

/** Accounts whose reads were flagged high: the comparison, the calls, a leak check. */
export function CourtesyPage() {
  const role = useSession()?.role;
  const [show, setShow] = useState<Show>("todo");
  const [cycle, setCycle] = useState("");
  const list = useCourtesyWorklist(show, cycle.trim());
  const [calling, setCalling] = useState<CourtesyItem | null>(null);
  const [placed, setPlaced] = useState<Placed | null>(null);
  const [key, renewKey] = useIdempotencyKey();
  const leakCheck = useOrderLeakCheck();
  const mayOrder = can(role, "orders.manage");

  function orderLeakCheck(item: CourtesyItem) {
    const date = nextDay(localToday());
    leakCheck.mutate({ item, scheduledDate: date, key: `${key}-${item.read_id}` }, {
      onSuccess: ({ order }) => {
        renewKey();
        setPlaced({ number: order.number, address: order.address, date: order.scheduled_date });
      },
    });
  }

  return (
    <Stack>
      <Title order={1} size="h2">High-usage courtesy calls</Title>
      <Card withBorder>
        <Group justify="space-between" mb="sm">
          <Text size="sm" c="gray.7">Reads flagged high against the prior period, last year or
            the meter&apos;s average, in the last 45 days.</Text>
          <Group>
            <TextInput aria-label="Cycle" placeholder="Cycle (all)" value={cycle} w={140}
              onChange={(e) => setCycle(e.currentTarget.value)} />
            <SegmentedControl value={show} onChange={(v) => setShow(v as Show)}
              aria-label="Show"
              data={[{ value: "todo", label: "To call" }, { value: "done", label: "Done" },
                { value: "all", label: "All" }]} />
          </Group>
        </Group>
        {placed && (
          <ReadableAlert color="green.9" mb="sm" title={`Leak check order ${placed.number} placed`}
            withCloseButton onClose={() => setPlaced(null)}>
            At {placed.address}, scheduled for {placed.date}; the call is recorded.
          </ReadableAlert>
        )}
        {list.isLoading && <Loader role="status" aria-label="Loading the worklist" />}
        {list.data && list.data.length === 0 && <Text c="gray.7">Nobody to call.</Text>}
        {list.data && list.data.length > 0 && (
          <Table.ScrollContainer minWidth={980}>
            <Table striped aria-label="Courtesy call worklist">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Account</Table.Th><Table.Th>Premise</Table.Th>
                  <Table.Th>Read</Table.Th><Table.Th>Use per day</Table.Th>
                  <Table.Th>Prior period</Table.Th><Table.Th>Last year</Table.Th>
                  <Table.Th>Average</Table.Th><Table.Th>Calls</Table.Th>
                  <Table.Th><VisuallyHidden>Actions</VisuallyHidden></Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.map((item) => {
                  const c = item.comparison;
                  const ordered = item.last_call?.outcome === "leak_check_ordered";
                  return (
                    <Table.Tr key={item.read_id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/accounts/${item.account_number}`}
                          ff="monospace">{item.account_number}</Anchor>
                        <Text size="sm">{item.customer_name}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{item.address}</Text>
                        <Text size="xs" c="gray.7">{item.cycle} · {item.route} · meter{" "}
                          {item.serial}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{item.read_on}</Text>
                        <Text size="xs" c="gray.7">{item.usage ? units(item.usage) : "—"} {c.unit} in{" "}
                          {item.days ?? "?"} days</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" fw={600}>{basis(c.per_day, null, c.unit)}</Text>
                        <Text size="xs">{headline(c)}</Text>
                        {item.open_leak_alert && (
                          <Text size="xs" fw={700} c="red.9" mt={4}>AMI leak alert</Text>
                        )}
                      </Table.Td>
                      <Table.Td>{basis(c.prior_period_per_day, c.times_prior_period, c.unit)}
                      </Table.Td>
                      <Table.Td>{basis(c.last_year_per_day, c.times_last_year, c.unit)}</Table.Td>
                      <Table.Td>{basis(c.average_per_day, c.times_average, c.unit)}</Table.Td>
                      <Table.Td>
                        <Text size="sm" fw={600}>{STATUS_LABELS[item.status]}</Text>
                        {item.last_call && (
                          <Text size="xs" c="gray.7">
                            {OUTCOME_LABELS[item.last_call.outcome]} ({item.last_call.called_by},{" "}
                            {item.last_call.called_at.slice(0, 10)}){item.calls > 1
                              ? ` · ${item.calls} calls` : ""}</Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Group gap="xs" wrap="nowrap">
                          <Button size="xs" variant="light" onClick={() => setCalling(item)}
                            aria-label={`Record call to account ${item.account_number}`}>
                            Record call
                          </Button>
                          {mayOrder && !ordered && (
                            <Button size="xs" variant="outline"
                              loading={leakCheck.isPending
                                && leakCheck.variables?.item.read_id === item.read_id}
                              onClick={() => orderLeakCheck(item)}
                              aria-label={`Order leak check for account ${item.account_number}`}>
                              Order leak check
                            </Button>
                          )}
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
      {calling && <CallModal item={calling} onClose={() => setCalling(null)} />}
    </Stack>
  );
}
