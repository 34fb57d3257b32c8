import { Badge, Button, Card, Group, Loader, Menu, SegmentedControl, Table, Text, TextInput,
  Title, VisuallyHidden } from "@mantine/core";
import { useState } from "react";

import { useWorklist, type ExceptionStatus, type Resolution, type WorklistItem }
  from "../api/reads";
import { RESOLUTION_LABELS, ResolveModal } from "./ResolveModal";

/** Read exceptions by route and meter, each worked in place. */
export function ExceptionsWorklist() {
  const [status, setStatus] = useState<ExceptionStatus>("open");
  const [cycle, setCycle] = useState("");
  const list = useWorklist(status, cycle.trim());
  const [working, setWorking] = useState<{ item: WorklistItem; how: Resolution } | null>(null);

  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">Read exceptions</Title>
        <Group>
          <TextInput aria-label="Cycle" placeholder="Cycle (all)" value={cycle} w={140}
            onChange={(e) => setCycle(e.currentTarget.value)} />
          <SegmentedControl value={status} onChange={(v) => setStatus(v as ExceptionStatus)}
            aria-label="Status"
            data={[{ value: "open", label: "Open" },
              { value: "reread_ordered", label: "Re-read ordered" },
              { value: "resolved", label: "Resolved" }]} />
        </Group>
      </Group>
      {list.isLoading && <Loader role="status" aria-label="Loading exceptions" />}
      {list.data && list.data.length === 0 && <Text c="gray.7">Nothing to work.</Text>}
      {list.data && list.data.length > 0 && (
        <Table.ScrollContainer minWidth={760}>
          <Table striped aria-label="Read exceptions">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Route</Table.Th><Table.Th>Meter</Table.Th><Table.Th>Exception</Table.Th>
                <Table.Th>Read on</Table.Th><Table.Th ta="right">Reading</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th><VisuallyHidden>Work</VisuallyHidden></Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.map((item) => (
                <Table.Tr key={item.id}>
                  <Table.Td>{item.route ?? "—"}</Table.Td>
                  <Table.Td ff="monospace">{item.serial ?? "(unknown meter)"}</Table.Td>
                  <Table.Td>
                    <Badge variant="outline" color="red.9" mr="xs">{item.code}</Badge>
                    <Text span size="sm">{item.detail}</Text>
                  </Table.Td>
                  <Table.Td>{item.read_on ?? "—"}</Table.Td>
                  <Table.Td ta="right" ff="monospace">{item.value ?? "—"}</Table.Td>
                  <Table.Td>{item.resolution ? `${item.status} (${item.resolution})` : item.status}
                  </Table.Td>
                  <Table.Td>
                    {item.status !== "resolved" && (
                      <Menu position="bottom-end">
                        <Menu.Target>
                          <Button size="xs" variant="light"
                            aria-label={`Work exception on meter ${item.serial ?? item.meter_id}`}>
                            Work…
                          </Button>
                        </Menu.Target>
                        <Menu.Dropdown>
                          {(["accept", "reread", "estimate", "correct"] as const)
                            .filter((how) => item.read_id !== null || how === "reread"
                              || how === "estimate")
                            .map((how) => (
                              <Menu.Item key={how} onClick={() => setWorking({ item, how })}>
                                {RESOLUTION_LABELS[how]}
                              </Menu.Item>
                            ))}
                        </Menu.Dropdown>
                      </Menu>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {working && <ResolveModal item={working.item} how={working.how}
        onClose={() => setWorking(null)} />}
    </Card>
  );
}
