import {
  Button, Card, FileInput, Group, Modal, Progress, SegmentedControl, Stack, Table, Text, TextInput, Title,
} from "@mantine/core";
import { useState, type FormEvent } from "react";

import { Money } from "@/components/Money";
import { ReadableAlert } from "@/components/ReadableAlert";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { newId } from "@/lib/ids";

import {
  useImportLockbox, useResolveSuspense, useReturnSuspense, useSuspense,
} from "../api/queries";
import type { LockboxImport, SuspenseLine } from "../api/types";

function ImportResult({ result }: { result: LockboxImport }) {
  return (
    <ReadableAlert color={result.duplicate ? "yellow" : "green"}
      title={result.duplicate ? `File ${result.file_id} was imported before`
        : `Imported file ${result.file_id}`}>
      {result.line_count} check(s) for <Money value={result.total} />: {result.posted_count}{" "}
      posted (<Money value={result.posted_total} />), {result.suspense_count} in suspense
      (<Money value={result.suspense_total} />).
      {result.duplicate && " Nothing was posted again."}
    </ReadableAlert>
  );
}

function ImportFile() {
  const [file, setFile] = useState<File | null>(null);
  const [key, renew] = useIdempotencyKey();
  const [result, setResult] = useState<LockboxImport | null>(null);
  const imp = useImportLockbox();
  function submit(event: FormEvent) {
    event.preventDefault();
    if (!file) return;
    imp.mutate({ file, key }, {
      onSuccess: (r) => {
        setResult(r);
        setFile(null);
        renew();
      },
    });
  }
  return (
    <Card withBorder component="form" onSubmit={submit} aria-label="Import a lockbox file">
      <Title order={2} size="h4" mb="sm">Import the bank's lockbox file</Title>
      <Group align="flex-end">
        <FileInput label="Lockbox file" required value={file}
          onChange={setFile} w={320} clearable />
        <Button type="submit" loading={imp.isPending} disabled={!file}>Import</Button>
      </Group>
      {imp.isPending && (
        <Progress value={100} animated striped mt="sm" aria-label="Importing" />
      )}
      {result && <Stack mt="sm"><ImportResult result={result} /></Stack>}
    </Card>
  );
}

type Action = { line: SuspenseLine; what: "resolve" | "return" } | null;

function ActOnLine({ action, onDone }: { action: Action; onDone: () => void }) {
  const [account, setAccount] = useState(action?.line.account_as_read ?? "");
  const [text, setText] = useState("");
  const [key] = useState(newId);
  const resolve = useResolveSuspense();
  const giveBack = useReturnSuspense();
  if (!action) return null;
  const { line, what } = action;
  function submit(event: FormEvent) {
    event.preventDefault();
    if (what === "resolve") {
      resolve.mutate({ id: line.id, accountNumber: account.trim(), note: text, key },
        { onSuccess: onDone });
    } else {
      giveBack.mutate({ id: line.id, reason: text, key }, { onSuccess: onDone });
    }
  }
  return (
    <Modal opened onClose={onDone} centered
      title={what === "resolve" ? "Apply the check to an account" : "Return the check"}>
      <Stack component="form" onSubmit={submit}
        aria-label={what === "resolve" ? "Resolve suspense" : "Return check"}>
        <Text size="sm">Check {line.check_number} for <Money value={line.amount} />, read as
          “{line.account_as_read || "nothing"}” ({line.reason.replace(/_/g, " ")}).</Text>
        {what === "resolve" && (
          <TextInput data-autofocus label="Account number" required value={account}
            onChange={(e) => setAccount(e.currentTarget.value)} />
        )}
        <TextInput label={what === "resolve" ? "Note" : "Reason"} required={what === "return"}
          value={text} onChange={(e) => setText(e.currentTarget.value)}
          data-autofocus={what === "return" || undefined} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>Cancel</Button>
          <Button type="submit" loading={resolve.isPending || giveBack.isPending}
            color={what === "return" ? "red" : undefined}>
            {what === "resolve" ? "Apply" : "Return"}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Lockbox: import the bank's file; work the suspense queue (apply to an account, or return). */
export function Lockbox() {
  const [status, setStatus] = useState<"open" | "resolved" | "returned">("open");
  const lines = useSuspense(status);
  const [action, setAction] = useState<Action>(null);
  return (
    <Stack>
      <ImportFile />
      <Group justify="space-between">
        <Title order={2} size="h4">Suspense queue</Title>
        <SegmentedControl aria-label="Suspense status" value={status}
          onChange={(v) => setStatus(v as typeof status)}
          data={[{ value: "open", label: "Open" }, { value: "resolved", label: "Applied" },
            { value: "returned", label: "Returned" }]} />
      </Group>
      {lines.data?.length === 0 && <ReadableAlert color="gray">Nothing {status} in suspense.</ReadableAlert>}
      {lines.data && lines.data.length > 0 && (
        <Table aria-label="Suspense" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Deposited</Table.Th><Table.Th>Check</Table.Th><Table.Th>Read as</Table.Th>
              <Table.Th>Why</Table.Th><Table.Th>Remitter</Table.Th>
              <Table.Th ta="right">Amount</Table.Th><Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {lines.data.map((l) => (
              <Table.Tr key={l.id}>
                <Table.Td>{l.deposit_date}</Table.Td><Table.Td>{l.check_number}</Table.Td>
                <Table.Td>{l.account_as_read || "—"}</Table.Td>
                <Table.Td>{l.reason.replace(/_/g, " ")}</Table.Td>
                <Table.Td>{l.routing ? `${l.routing} …${l.last4 ?? ""}` : "—"}</Table.Td>
                <Table.Td ta="right"><Money value={l.amount} /></Table.Td>
                <Table.Td>
                  {l.status === "open" ? (
                    <Group gap="xs" wrap="nowrap">
                      <Button size="xs" onClick={() => setAction({ line: l, what: "resolve" })}
                        aria-label={`Apply check ${l.check_number}`}>Apply</Button>
                      <Button size="xs" variant="light" color="red"
                        onClick={() => setAction({ line: l, what: "return" })}
                        aria-label={`Return check ${l.check_number}`}>Return</Button>
                    </Group>
                  ) : <Text size="xs">{l.resolved_by} {l.note ?? ""}</Text>}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <ActOnLine key={action ? `${action.line.id}:${action.what}` : "none"} action={action}
        onDone={() => setAction(null)} />
    </Stack>
  );
}
