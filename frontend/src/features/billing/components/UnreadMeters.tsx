import { Button, Card, Group, Loader, Stack, Table, Text, TextInput, Title }
  from "@mantine/core";
import { useState, type FormEvent } from "react";

import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { useSession } from "@/lib/auth";
import { can } from "@/lib/permissions";

import { useOpenMissingExceptions, useUnreadReport, type UnreadQuery } from "../api/reads";
import { Notice } from "./Notice";

/** Meters of a cycle with no read in the period, by route; at cycle time, open exceptions. */
export function UnreadMeters() {
  const role = useSession()?.role;
  const [form, setForm] = useState<UnreadQuery>({ cycle: "", period_start: "", period_end: "" });
  const [query, setQuery] = useState<UnreadQuery | null>(null);
  const report = useUnreadReport(query);
  const [key, renew] = useIdempotencyKey();
  const open = useOpenMissingExceptions();

  function submit(event: FormEvent) {
    event.preventDefault();
    setQuery({ ...form, cycle: form.cycle.trim() });
  }
  const set = (field: keyof UnreadQuery) => (e: React.ChangeEvent<HTMLInputElement>) => {
    const value = e.currentTarget.value;
    setForm((f) => ({ ...f, [field]: value }));
  };

  return (
    <Stack>
      <Card withBorder component="form" onSubmit={submit} aria-label="Unread meters">
        <Title order={2} size="h4" mb="sm">Unread meters</Title>
        <Group align="flex-end">
          <TextInput label="Cycle" required value={form.cycle} onChange={set("cycle")} w={120} />
          <TextInput type="date" label="Period from" required value={form.period_start}
            onChange={set("period_start")} />
          <TextInput type="date" label="Period to" required value={form.period_end}
            onChange={set("period_end")} />
          <Button type="submit">Show</Button>
        </Group>
      </Card>
      {report.isLoading && <Loader role="status" aria-label="Loading unread meters" />}
      {report.data && (
        <Card withBorder>
          <Group justify="space-between" mb="sm">
            <Text fw={600}>{report.data.count} unread meter{report.data.count === 1 ? "" : "s"}
              {" "}in cycle {report.data.cycle}</Text>
            {can(role, "reads.work") && report.data.count > 0 && query && (
              <Button variant="light" loading={open.isPending}
                onClick={() => open.mutate({ q: query, key }, { onSuccess: renew })}>
                Open missing-read exceptions
              </Button>
            )}
          </Group>
          {open.data && (
            <Notice color="yellow" mb="sm">
              {open.data.exceptions_opened} missing-read exception
              {open.data.exceptions_opened === 1 ? "" : "s"} opened.
            </Notice>
          )}
          <Table aria-label="Unread by route" mb="md" maw={360}>
            <Table.Thead>
              <Table.Tr><Table.Th>Route</Table.Th><Table.Th ta="right">Unread</Table.Th></Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {Object.entries(report.data.by_route).map(([route, n]) => (
                <Table.Tr key={route}><Table.Td>{route}</Table.Td>
                  <Table.Td ta="right">{n}</Table.Td></Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {report.data.meters.length > 0 && (
            <Table striped aria-label="Unread meters list">
              <Table.Thead>
                <Table.Tr><Table.Th>Route</Table.Th><Table.Th>Meter</Table.Th>
                  <Table.Th>Last read</Table.Th></Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {report.data.meters.map((m) => (
                  <Table.Tr key={m.meter_id}>
                    <Table.Td>{m.route}</Table.Td><Table.Td ff="monospace">{m.serial}</Table.Td>
                    <Table.Td>{m.last_read_on ?? "never"}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Card>
      )}
    </Stack>
  );
}
