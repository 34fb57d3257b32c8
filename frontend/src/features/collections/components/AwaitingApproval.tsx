import {
  Anchor, Badge, Button, Card, Checkbox, Group, Loader, Stack, Table, Text, TextInput, Title,
} from "@mantine/core";
import { useState } from "react";
import { Link } from "react-router-dom";

import { ReadableAlert } from "@/components/ReadableAlert";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { openPdf } from "@/lib/api";
import { downloadFile } from "@/lib/download";
import { useSession } from "@/lib/auth";
import { can } from "@/lib/permissions";
import { notifyProblem } from "@/lib/queryClient";

import {
  useApproveDoorTags, useAwaitingApproval, useBatchDecision, useCreateBatch, useFieldOrders,
  type Batch,
} from "../api/supervisor";

function kinds(b: { by_kind: { kind: string; addressee: string; notices: number }[] }) {
  return b.by_kind.map((k) => `${k.notices} ${k.kind.replace(/_/g, " ")} (${k.addressee})`).join(", ");
}

function BatchCard({ batch }: { batch: Batch }) {
  const session = useSession();
  const decide = useBatchDecision();
  const [reason, setReason] = useState("");
  const [current, setCurrent] = useState(batch);
  const own = current.created_by === session?.username;
  const act = (decision: "approve" | "reject" | "release") =>
    decide.mutate({ id: current.id, decision, reason }, { onSuccess: setCurrent });
  return (
    <Card withBorder>
      <Group justify="space-between">
        <Text fw={600}>Batch of {current.batch_on}: {current.notices} notice(s)</Text>
        <Badge>{current.status.replace(/_/g, " ")}</Badge>
      </Group>
      <Text size="sm">{kinds(current)}</Text>
      <Text size="sm" c="gray.7">Created by {current.created_by}
        {current.approved_by ? ` · approved by ${current.approved_by}` : ""}</Text>
      <Group mt="xs" align="flex-end">
        {current.status === "awaiting_approval" && can(session?.role, "collections.approve") && (
          own ? <Text size="sm" c="gray.7">You created this batch: another supervisor approves it.</Text> : (
            <>
              <Button size="xs" onClick={() => act("approve")} loading={decide.isPending}>Approve batch</Button>
              <TextInput size="xs" label="Reason to send back" value={reason}
                onChange={(e) => setReason(e.currentTarget.value)} />
              <Button size="xs" color="red" variant="subtle" disabled={!reason.trim()}
                onClick={() => act("reject")}>Send back</Button>
            </>
          ))}
        {current.status === "approved" && can(session?.role, "collections.release") && (
          <Button size="xs" onClick={() => act("release")} loading={decide.isPending}>Release for printing</Button>
        )}
        {current.status === "released" && can(session?.role, "collections.release") && (
          <Button size="xs" variant="light"
            onClick={() => void openPdf(`/api/collections/notices/batches/${current.id}/print.pdf`).catch(notifyProblem)}>
            Print file (PDF)
          </Button>
        )}
        {current.status === "released" && can(session?.role, "collections.release") && (
          <Button size="xs" variant="light"
            onClick={() => void downloadFile(`/api/collections/notices/batches/${current.id}/print.zip`,
              `notices-${current.id}.zip`).catch(notifyProblem)}>
            Print files for the vendor (ZIP)
          </Button>
        )}
      </Group>
    </Card>
  );
}

/** Notices and door tags awaiting a supervisor's approval; nothing is mailed or tagged before. */
export function AwaitingApproval() {
  const role = useSession()?.role;
  const awaiting = useAwaitingApproval();
  const tags = useFieldOrders("door_tag", "awaiting_approval");
  const createBatch = useCreateBatch();
  const approveTags = useApproveDoorTags();
  const [batchKey, renewBatchKey] = useIdempotencyKey();
  const [picked, setPicked] = useState<string[]>([]);
  const [made, setMade] = useState<Batch[]>([]);

  return (
    <Stack>
      <Title order={2} size="h4">Notices</Title>
      {awaiting.isPending && <Loader role="status" aria-label="Loading notices awaiting approval" />}
      {awaiting.data && (
        <>
          <Group>
            <Text>{awaiting.data.unbatched.length === 0 ? "No queued notice outside a batch."
              : `Queued, not in a batch yet: ${kinds({ by_kind: awaiting.data.unbatched })}.`}</Text>
            {awaiting.data.unbatched.length > 0 && can(role, "collections.batch") && (
              <Button size="xs" loading={createBatch.isPending} onClick={() => createBatch.mutate(batchKey, {
                onSuccess: (b) => { renewBatchKey(); setMade((m) => [b, ...m]); },
              })}>Make today's print batch</Button>
            )}
          </Group>
          {[...made, ...awaiting.data.batches.filter((b) => !made.some((m) => m.id === b.id))]
            .map((b) => <BatchCard key={b.id} batch={b} />)}
          {awaiting.data.batches.length === 0 && made.length === 0 && (
            <Text c="gray.7">No batch awaits approval.</Text>
          )}
        </>
      )}
      <Title order={2} size="h4" mt="md">Door tags</Title>
      {tags.data && tags.data.length === 0 && <Text c="gray.7">No door tag awaits approval.</Text>}
      {tags.data && tags.data.length > 0 && (
        <>
          <Table aria-label="Door tags awaiting approval">
            <Table.Thead><Table.Tr><Table.Th><Checkbox aria-label="Pick every door tag"
              checked={picked.length === tags.data.length}
              onChange={(e) => setPicked(e.currentTarget.checked ? tags.data.map((t) => t.id) : [])} /></Table.Th>
              <Table.Th>Account</Table.Th><Table.Th>Tag on</Table.Th><Table.Th>Disconnect on</Table.Th>
              <Table.Th>Requested by</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {tags.data.map((t) => (
                <Table.Tr key={t.id}>
                  <Table.Td><Checkbox aria-label={`Pick door tag ${t.reference}`} checked={picked.includes(t.id)}
                    onChange={(e) => {
                      const on = e.currentTarget.checked;
                      setPicked((p) => (on ? [...p, t.id] : p.filter((x) => x !== t.id)));
                    }} /></Table.Td>
                  <Table.Td><Anchor component={Link} to={`/collections/accounts/${t.account_id}`}>{t.reference}</Anchor></Table.Td><Table.Td>{t.scheduled_on}</Table.Td>
                  <Table.Td>{t.disconnect_on}</Table.Td><Table.Td>{t.requested_by}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {can(role, "collections.approve") && (
            <Group>
              <Button disabled={picked.length === 0} loading={approveTags.isPending}
                onClick={() => approveTags.mutate(picked, { onSuccess: () => setPicked([]) })}>
                Approve {picked.length} door tag(s)
              </Button>
            </Group>
          )}
        </>
      )}
      {approveTags.isSuccess && <ReadableAlert color="green.9" title="Door tags released">
        {approveTags.data.length} door tag order(s) went to the field.</ReadableAlert>}
    </Stack>
  );
}
