import { Badge, Button, Card, Group, Skeleton, Stack, Table, Text, Title } from "@mantine/core";
import { useState } from "react";

import { usePremises, type Agreement } from "../api/queries";
import { useBackflow, useOrders } from "../api/service";
import { StopServiceForm, TransferServiceForm } from "./MoveForms";
import { StartServiceForm } from "./StartServiceForm";

type Action = "start" | "stop" | "transfer" | null;

function Backflow({ premiseId, address }: { premiseId: string; address: string }) {
  const devices = useBackflow(premiseId);
  if (!devices.data?.length) return null;
  return (
    <Table aria-label={`Backflow devices at ${address}`} mt="xs">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Backflow device</Table.Th><Table.Th>Location</Table.Th>
          <Table.Th>Last test</Table.Th><Table.Th>Next test due</Table.Th>
          <Table.Th>Status</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {devices.data.map((d) => (
          <Table.Tr key={d.id}>
            <Table.Td ff="monospace">{d.kind} {d.serial}{d.size ? ` (${d.size})` : ""}</Table.Td>
            <Table.Td>{d.location ?? "—"}</Table.Td>
            <Table.Td>{d.last_tested_on ? `${d.last_tested_on} ${d.last_result ?? ""}` : "—"}</Table.Td>
            <Table.Td>{d.next_test_due}</Table.Td>
            <Table.Td><Badge variant="light">{d.status}</Badge></Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** Service orders on the account (turn-on, final read, leak check …), newest first. */
function Orders({ accountId }: { accountId: string }) {
  const orders = useOrders(accountId);
  if (!orders.data?.length) return null;
  return (
    <Table striped aria-label="Service orders">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Order</Table.Th><Table.Th>Kind</Table.Th><Table.Th>Scheduled</Table.Th>
          <Table.Th>Address</Table.Th><Table.Th>Status</Table.Th><Table.Th>Reason</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {orders.data.map((o) => (
          <Table.Tr key={o.id}>
            <Table.Td>#{o.number}</Table.Td><Table.Td>{o.kind.replace(/_/g, " ")}</Table.Td>
            <Table.Td>{o.scheduled_date}</Table.Td><Table.Td>{o.address}</Table.Td>
            <Table.Td><Badge variant="light">{o.status}</Badge></Table.Td>
            <Table.Td>{o.reason ?? ""}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/**
 * Service agreements with the premise each serves, its meters and backflow devices; start,
 * stop and transfer service; the account's service orders.
 */
export function ServicePanel({ agreements, accountId, customerId, canWrite }: {
  agreements: Agreement[]; accountId: string; customerId: string; canWrite: boolean;
}) {
  const premises = usePremises([...new Set(agreements.map((a) => a.premise_id))]);
  const byId = new Map(premises.map((p) => [p.id, p]));
  const premiseOf = new Map(premises.map((p) => [p.id, p.premise]));
  const [action, setAction] = useState<Action>(null);
  const toggle = (a: Action) => setAction((now) => (now === a ? null : a));
  const active = agreements.some((a) => a.status === "active");

  return (
    <Stack>
      {canWrite && (
        <Group gap="xs">
          <Button variant={action === "start" ? "filled" : "default"}
            onClick={() => toggle("start")} aria-expanded={action === "start"}>
            Start service
          </Button>
          {active && (
            <>
              <Button variant={action === "stop" ? "filled" : "default"}
                onClick={() => toggle("stop")} aria-expanded={action === "stop"}>
                Stop service
              </Button>
              <Button variant={action === "transfer" ? "filled" : "default"}
                onClick={() => toggle("transfer")} aria-expanded={action === "transfer"}>
                Transfer service
              </Button>
            </>
          )}
        </Group>
      )}
      {action && (
        <Card withBorder>
          {action === "start" && (
            <StartServiceForm customerId={customerId} accountId={accountId} />
          )}
          {action === "stop" && (
            <StopServiceForm accountId={accountId} agreements={agreements} premises={premiseOf} />
          )}
          {action === "transfer" && (
            <TransferServiceForm accountId={accountId} agreements={agreements}
              premises={premiseOf} />
          )}
        </Card>
      )}
      {agreements.length === 0 ? <Text c="dimmed">No service agreements.</Text> : (
        <Table striped aria-label="Service agreements">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Service</Table.Th><Table.Th>Rate class</Table.Th>
              <Table.Th>Premise</Table.Th><Table.Th>Meter</Table.Th><Table.Th>Dates</Table.Th>
              <Table.Th>Status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {agreements.map((sa) => {
              const p = byId.get(sa.premise_id);
              const meter = p?.meters.find((m) => m.id === sa.meter_id);
              return (
                <Table.Tr key={sa.id}>
                  <Table.Td>{sa.service}</Table.Td>
                  <Table.Td>{sa.rate_class}</Table.Td>
                  <Table.Td>
                    {p?.premise ? (
                      <>
                        {p.premise.address.line1}, {p.premise.address.city}
                        <Text size="xs" c="dimmed">
                          APN {p.premise.apn} · route {p.premise.route}
                        </Text>
                      </>
                    ) : <Skeleton h={14} w={160} />}
                  </Table.Td>
                  <Table.Td ff="monospace">
                    {meter ? `${meter.serial} (${meter.size})` : sa.meter_id ? "…" : "—"}
                  </Table.Td>
                  <Table.Td>{sa.start_date}{sa.stop_date ? ` – ${sa.stop_date}` : " –"}</Table.Td>
                  <Table.Td><Badge variant="light">{sa.status}</Badge></Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      {premises.map((p) => p.premise && (
        <Card withBorder key={p.id} aria-label={`Premise ${p.premise.address.line1}`}>
          <Title order={3} size="h6">
            {p.premise.address.line1}, {p.premise.address.city} · {p.premise.kind.replace(/_/g, " ")}
            {" "}· cycle {p.premise.cycle}
          </Title>
          {p.meters.length === 0 ? <Text size="sm" c="dimmed">No meter installed.</Text> : (
            <Table aria-label={`Meters at ${p.premise.address.line1}`} mt="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Meter</Table.Th><Table.Th>Size</Table.Th><Table.Th>Kind</Table.Th>
                  <Table.Th>Unit</Table.Th><Table.Th>Installed</Table.Th>
                  <Table.Th>Endpoint</Table.Th><Table.Th>Status</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {p.meters.map((m) => (
                  <Table.Tr key={m.id}>
                    <Table.Td ff="monospace">{m.serial}</Table.Td><Table.Td>{m.size}</Table.Td>
                    <Table.Td>{m.kind}</Table.Td>
                    <Table.Td>{m.unit}{m.multiplier !== "1" ? ` × ${m.multiplier}` : ""}</Table.Td>
                    <Table.Td>{m.installed_at ?? "—"}</Table.Td>
                    <Table.Td ff="monospace">{m.endpoint_id ?? "—"}</Table.Td>
                    <Table.Td><Badge variant="light">{m.status}</Badge></Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          <Backflow premiseId={p.id} address={p.premise.address.line1} />
        </Card>
      ))}
      <Orders accountId={accountId} />
    </Stack>
  );
}
