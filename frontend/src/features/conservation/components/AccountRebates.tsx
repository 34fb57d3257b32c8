import { Anchor, Button, Group, Loader, Stack, Table, Text } from "@mantine/core";
import { useState } from "react";
import { Link } from "react-router-dom";

import { useSession } from "@/lib/auth";
import { can } from "@/lib/permissions";

import { useAccountApplications, useProgrammes } from "../api/queries";
import { DecideButtons, DecideModal, downloadLetter, type Deciding } from "./DecideModal";
import { RebateAmount, RebateStatus } from "./RebateCells";

/**
 * Account 360's Rebates tab: the account's applications of every status with what they are
 * worth, the decision and its letter, so a CSR answers "what happened to my rebate?" on the
 * call. A CSR decides a pending one here as on the Rebates screen (the server keeps dollar
 * authority and "nobody approves their own intake").
 */
export function AccountRebates({ accountId }: { accountId: string }) {
  const list = useAccountApplications(accountId);
  const names = Object.fromEntries((useProgrammes().data ?? []).map((p) => [p.key, p.name]));
  const role = useSession()?.role;
  const mayWork = can(role, "rebates.work");
  const [deciding, setDeciding] = useState<Deciding>(null);

  if (list.isLoading) return <Loader role="status" aria-label="Loading rebates" />;
  return (
    <Stack>
      {list.data?.length === 0 && <Text c="dimmed">No rebate applications on this account.</Text>}
      {!!list.data?.length && (
        <Table.ScrollContainer minWidth={760}>
          <Table striped aria-label="Rebate applications of this account">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Programme</Table.Th><Table.Th>Premise</Table.Th>
                <Table.Th>Amount</Table.Th><Table.Th>Status</Table.Th>
                <Table.Th>Forms</Table.Th><Table.Th>Letters and decision</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.map((a) => {
                const programme = names[a.programme] ?? a.programme;
                return (
                  <Table.Tr key={a.id} data-status={a.status}>
                    <Table.Td>
                      <Stack gap={0}>
                        <Text size="sm">{programme}</Text>
                        <Text size="xs">{Number(a.units)} units, received {a.received_on}
                          {a.installed_on ? `, installed ${a.installed_on}` : ""}</Text>
                      </Stack>
                    </Table.Td>
                    <Table.Td><Text size="sm">{a.premise_address}</Text></Table.Td>
                    <Table.Td><RebateAmount app={a} /></Table.Td>
                    <Table.Td><RebateStatus app={a} /></Table.Td>
                    <Table.Td><Text size="sm">{a.form_ids.length} scanned</Text></Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        {a.letter_id && (
                          <Button size="xs" variant="subtle" onClick={() => downloadLetter(a,
                            `rebate-${a.status}-${a.account_number}.pdf`)}
                            aria-label={`${a.status === "denied" ? "Denial" : "Approval"} letter`
                              + ` of the ${programme} rebate`}>
                            {a.status === "denied" ? "Denial letter" : "Approval letter"}
                          </Button>
                        )}
                        {mayWork && a.status === "pending" && (
                          <DecideButtons app={a} subject={`the ${programme} rebate`}
                            onDecide={setDeciding} />
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
      {can(role, "rebates.read") && (
        <Anchor component={Link} to="/conservation/applications" size="sm">
          All rebate applications</Anchor>
      )}
      <DecideModal deciding={deciding} onClose={() => setDeciding(null)} />
    </Stack>
  );
}
