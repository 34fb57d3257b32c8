import { Badge, Button, Drawer, Group, List, Loader, Stack, Table, Text, TextInput, Title }
  from "@mantine/core";
import { useState, type FormEvent } from "react";
import { Link } from "react-router-dom";

import { Money } from "@/components/Money";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { openPdf } from "@/lib/api";
import { notifyProblem } from "@/lib/queryClient";

import { useBill, useExplain, useHoldBill, useRebill } from "../api/runs";
import { flagLabel, FLAG_COLOR } from "../runActions";
import { BudgetPanel } from "./BudgetPanel";
import { Notice } from "./Notice";

/** One bill of a run: its lines, how it was computed in plain words, its statement; hold it. */
export function BillDrawer({ runId, billId, canHold, canRebill, onClose }: {
  runId: string; billId: string | null; canHold: boolean; canRebill: boolean;
  onClose: () => void;
}) {
  const bill = useBill(billId);
  const explain = useExplain(billId);
  const b = bill.data;
  return (
    <Drawer opened={billId !== null} onClose={onClose} position="right" size="xl"
      closeButtonProps={{ "aria-label": "Close bill" }}
      title={b ? `Bill for account ${b.account_number ?? b.account_id}` : "Bill"}>
      {bill.isLoading && <Loader role="status" aria-label="Loading bill" />}
      {b && (
        <Stack>
          <Group>
            <Badge variant="outline" color="dark.6">{b.status}</Badge>
            {b.flags.map((f) => (
              <Badge key={f} color={FLAG_COLOR} variant="outline">{flagLabel(f)}</Badge>
            ))}
            <Text>{b.period_start} – {b.period_end}</Text>
            <Text fw={700}>Total <Money value={b.total} /></Text>
          </Group>
          <Group>
            {b.account_number && (
              <Button component={Link} to={`/accounts/${b.account_number}`} variant="default"
                size="xs">Open account</Button>
            )}
            <Button variant="default" size="xs"
              onClick={() => void openPdf(`/api/billing/bills/${b.id}/statement.pdf`)
                .catch(notifyProblem)}>
              Statement PDF
            </Button>
          </Group>
          <Title order={3} size="h5">How it was computed</Title>
          {explain.isLoading && <Loader role="status" size="sm" aria-label="Loading explanation" />}
          {explain.data && (
            <List size="sm" spacing={2} aria-label="Explanation">
              {explain.data.text.map((line, i) => <List.Item key={i}>{line}</List.Item>)}
            </List>
          )}
          <Title order={3} size="h5">Lines</Title>
          <Table.ScrollContainer minWidth={600}>
            <Table aria-label="Bill lines" striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Service</Table.Th><Table.Th>Line</Table.Th><Table.Th>Period</Table.Th>
                  <Table.Th ta="right">Quantity</Table.Th><Table.Th ta="right">Price</Table.Th>
                  <Table.Th ta="right">Amount</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {b.lines.map((l, i) => (
                  <Table.Tr key={i}>
                    <Table.Td>{l.service} · {l.rate_class}</Table.Td>
                    <Table.Td>{l.description}{l.tier !== null ? ` (tier ${l.tier})` : ""}</Table.Td>
                    <Table.Td>{l.seg_start} – {l.seg_end}</Table.Td>
                    <Table.Td ta="right" ff="monospace">{l.quantity}</Table.Td>
                    <Table.Td ta="right" ff="monospace">{l.unit_price}</Table.Td>
                    <Table.Td ta="right"><Money value={l.amount} /></Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {canHold && b.status === "draft" && <HoldForm runId={runId} billId={b.id} />}
          {canRebill && b.status === "final" && <RebillForm billId={b.id} />}
          <BudgetPanel accountId={b.account_id} />
        </Stack>
      )}
    </Drawer>
  );
}

function HoldForm({ runId, billId }: { runId: string; billId: string }) {
  const [reason, setReason] = useState("");
  const [key, renew] = useIdempotencyKey();
  const hold = useHoldBill(runId);
  function submit(event: FormEvent) {
    event.preventDefault();
    hold.mutate({ billId, reason: reason.trim(), key }, {
      onSuccess: () => {
        renew();
        setReason("");
      },
    });
  }
  return (
    <form onSubmit={submit} aria-label="Hold this bill">
      <Group align="flex-end">
        <TextInput label="Reason to hold" required value={reason} maxLength={500} w={320}
          onChange={(e) => setReason(e.currentTarget.value)} />
        <Button type="submit" color="orange" loading={hold.isPending}>Hold out of run</Button>
      </Group>
      {hold.isSuccess && <Notice mt="xs" color="orange">Held: this bill is not
        finalised with the run.</Notice>}
    </form>
  );
}

/** A wrong final bill: a one-account run recalculates its period; finalising it replaces it. */
function RebillForm({ billId }: { billId: string }) {
  const [reason, setReason] = useState("");
  const [key, renew] = useIdempotencyKey();
  const rebill = useRebill();
  function submit(event: FormEvent) {
    event.preventDefault();
    rebill.mutate({ billId, reason: reason.trim(), key }, {
      onSuccess: () => {
        renew();
        setReason("");
      },
    });
  }
  return (
    <form onSubmit={submit} aria-label="Cancel and rebill">
      <Group align="flex-end">
        <TextInput label="Reason to rebill" required value={reason} maxLength={500} w={320}
          onChange={(e) => setReason(e.currentTarget.value)} />
        <Button type="submit" variant="default" loading={rebill.isPending}>
          Cancel and rebill
        </Button>
      </Group>
      {rebill.data && (
        <Notice mt="xs" color="blue">
          A rebill run is in preview:{" "}
          <Link to={`/billing/runs/${rebill.data.id}`}>review it</Link>. The old bill is
          cancelled when that run is finalised.
        </Notice>
      )}
    </form>
  );
}
