import {
  Anchor, Button, FileButton, Group, Loader, SegmentedControl, Stack, Table, Text,
} from "@mantine/core";
import { useState } from "react";
import { Link } from "react-router-dom";

import { newId } from "@/lib/ids";
import { useSession } from "@/lib/auth";
import { can } from "@/lib/permissions";

import {
  useApplications, useAttachForm, useProgrammes,
} from "../api/queries";
import { STATUS_LABEL } from "../labels";
import { DecideButtons, DecideModal, downloadLetter, type Deciding } from "./DecideModal";
import { RebateAmount, RebateStatus } from "./RebateCells";

const FILTERS = ["pending", "approved", "denied", "all"] as const;
const SCANS = "application/pdf,image/png,image/jpeg,image/tiff";

/** Applications, newest first: who applied for what, what it is worth, and its decision. A CSR
 * approves (within their dollar authority, never their own intake) or denies a pending one. */
export function Applications() {
  const [filter, setFilter] = useState<(typeof FILTERS)[number]>("pending");
  const list = useApplications(filter === "all" ? null : filter);
  const names = Object.fromEntries((useProgrammes().data ?? []).map((p) => [p.key, p.name]));
  const role = useSession()?.role;
  const mayWork = can(role, "rebates.work");
  const [deciding, setDeciding] = useState<Deciding>(null);
  const attach = useAttachForm();

  return (
    <Stack>
      <SegmentedControl aria-label="Show applications" value={filter} w="fit-content"
        onChange={(v) => setFilter(v as (typeof FILTERS)[number])}
        data={FILTERS.map((f) => ({ value: f, label: f === "all" ? "All" : STATUS_LABEL[f]! }))} />
      {list.isLoading && <Loader role="status" aria-label="Loading applications" />}
      {list.data?.length === 0 && <Text c="dimmed">No applications here.</Text>}
      {!!list.data?.length && (
        <Table.ScrollContainer minWidth={900}>
          <Table striped aria-label="Rebate applications">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Account</Table.Th><Table.Th>Premise</Table.Th>
                <Table.Th>Programme</Table.Th><Table.Th>Amount</Table.Th>
                <Table.Th>Status</Table.Th><Table.Th>Forms</Table.Th><Table.Th>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>
                    <Stack gap={0}>
                      <Anchor component={Link} to={`/accounts/${a.account_number}`}>
                        {a.account_number}</Anchor>
                      <Text size="xs">{a.customer_name}</Text>
                    </Stack>
                  </Table.Td>
                  <Table.Td><Text size="sm">{a.premise_address}</Text></Table.Td>
                  <Table.Td>
                    <Stack gap={0}>
                      <Text size="sm">{names[a.programme] ?? a.programme}</Text>
                      <Text size="xs">{Number(a.units)} units, received {a.received_on}</Text>
                    </Stack>
                  </Table.Td>
                  <Table.Td><RebateAmount app={a} /></Table.Td>
                  <Table.Td><RebateStatus app={a} /></Table.Td>
                  <Table.Td>
                    <Group gap="xs">
                      <Text size="sm">{a.form_ids.length}</Text>
                      {mayWork && (
                        <FileButton accept={SCANS} onChange={(file) => file &&
                          attach.mutate({ id: a.id, file, key: newId() })}>
                          {(props) => (
                            <Button {...props} size="xs" variant="default"
                              aria-label={`Attach a form to ${a.account_number}'s application`}>
                              Attach</Button>
                          )}
                        </FileButton>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      {mayWork && a.status === "pending" && (
                        <DecideButtons app={a} subject={`${a.account_number}'s rebate`}
                          onDecide={setDeciding} />
                      )}
                      {a.letter_id && (
                        <Button size="xs" variant="subtle" onClick={() => downloadLetter(a, "letter.pdf")}
                          aria-label={`${a.account_number}'s letter`}>Letter</Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <DecideModal deciding={deciding} onClose={() => setDeciding(null)} />
    </Stack>
  );
}
