import {
  Anchor, Button, Group, Loader, SegmentedControl, Stack, Table, Text, TextInput, Title,
} from "@mantine/core";
import { useState, type FormEvent } from "react";
import { Link } from "react-router-dom";

import { ReadableAlert } from "@/components/ReadableAlert";
import { Money } from "@/components/Money";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { openPdf } from "@/lib/api";
import { useSession } from "@/lib/auth";
import { can } from "@/lib/permissions";
import { notifyProblem } from "@/lib/queryClient";

import {
  useLienCandidates, useLienLists, useLienStep, useLiens, useRecordLienList, type LienList,
} from "../api/supervisor";

/** The county's recording of a certified list: its day and document number (Enter saves). */
function RecordList({ list, onDone }: { list: LienList; onDone: (m: string) => void }) {
  const [recordedOn, setRecordedOn] = useState("");
  const [document, setDocument] = useState("");
  const [key, renewKey] = useIdempotencyKey();
  const record = useRecordLienList();
  function submit(event: FormEvent) {
    event.preventDefault();
    record.mutate({ id: list.list_id, recordedOn, document, key }, {
      onSuccess: (r) => { renewKey(); onDone(`${r.recorded} lien(s) recorded for ${list.tax_year}.`); },
    });
  }
  return (
    <Group component="form" onSubmit={submit} gap="xs" align="flex-end" wrap="nowrap"
      aria-label={`Record the ${list.tax_year} list`}>
      <TextInput type="date" size="xs" label="Recorded on" required value={recordedOn}
        onChange={(e) => setRecordedOn(e.currentTarget.value)} />
      <TextInput size="xs" label="Document number" value={document}
        onChange={(e) => setDocument(e.currentTarget.value)} />
      <Button size="xs" type="submit" variant="outline" loading={record.isPending}>Record</Button>
    </Group>
  );
}

const STATUSES = ["all", "noticed", "listed", "recorded", "released", "cancelled"]
  .map((s) => ({ value: s, label: s }));

function open(path: string) {
  openPdf(path).catch(notifyProblem);
}

/** Tax-roll liens: candidates, their notices, the certified list (CSV / PDF), releases. */
export function Liens() {
  const role = useSession()?.role;
  const [status, setStatus] = useState("all");
  const candidates = useLienCandidates();
  const lists = useLienLists();
  const liens = useLiens(status === "all" ? null : status);
  const step = useLienStep();
  const [key, renewKey] = useIdempotencyKey();
  const [done, setDone] = useState<string | null>(null);
  const run = (s: "notices" | "lists" | "releases") => step.mutate({ step: s, key }, {
    onSuccess: (r) => {
      renewKey();
      if ("noticed" in r) setDone(`${r.noticed} lien notice(s) queued; the list may go on or after ${r.list_on_or_after}.`);
      else if ("list_id" in r) setDone(`List certified: ${r.parcels} parcel(s), $${r.total}.`);
      else setDone(`${r.released} paid lien(s) released.`);
    },
  });

  return (
    <Stack>
      {done && <ReadableAlert color="green.9" withCloseButton closeButtonLabel="Dismiss" onClose={() => setDone(null)} title="Done">{done}</ReadableAlert>}
      <Title order={2} size="h4">Candidates for {candidates.data?.tax_year ?? "this year"}</Title>
      {candidates.isPending && <Loader role="status" aria-label="Loading lien candidates" />}
      {candidates.data && (
        <Group>
          <Text>{candidates.data.candidates.length} owner account(s) on {candidates.data.parcels} parcel(s),{" "}
            <Money value={candidates.data.total} /> past due.</Text>
          {can(role, "collections.closed") && candidates.data.candidates.length > 0 && (
            <Button size="xs" onClick={() => run("notices")} loading={step.isPending}>Send lien notices</Button>
          )}
          {can(role, "collections.approve") && (
            <Button size="xs" variant="light" onClick={() => run("lists")} loading={step.isPending}>
              Certify the list</Button>
          )}
          {can(role, "collections.closed") && (
            <Button size="xs" variant="light" onClick={() => run("releases")} loading={step.isPending}>
              Release paid liens</Button>
          )}
        </Group>
      )}
      <Title order={2} size="h4" mt="md">Certified lists</Title>
      <Table aria-label="Certified lien lists">
        <Table.Thead><Table.Tr><Table.Th>Year</Table.Th><Table.Th>Certified</Table.Th><Table.Th>Parcels</Table.Th>
          <Table.Th>Total</Table.Th><Table.Th>Export</Table.Th>
          {can(role, "collections.closed") && <Table.Th>County recording</Table.Th>}</Table.Tr></Table.Thead>
        <Table.Tbody>
          {(lists.data ?? []).map((l) => (
            <Table.Tr key={l.list_id}>
              <Table.Td>{l.tax_year}</Table.Td><Table.Td>{l.certified_on} by {l.certified_by}</Table.Td>
              <Table.Td>{l.parcels}</Table.Td><Table.Td><Money value={l.total} /></Table.Td>
              <Table.Td><Group gap="xs">
                <Anchor component="button" type="button" onClick={() => open(`/api/collections/liens/lists/${l.list_id}.csv`)}>CSV</Anchor>
                <Anchor component="button" type="button" onClick={() => open(`/api/collections/liens/lists/${l.list_id}.pdf`)}>PDF</Anchor>
              </Group></Table.Td>
              {can(role, "collections.closed") && (
                <Table.Td><RecordList list={l} onDone={setDone} /></Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Title order={2} size="h4" mt="md">Liens</Title>
      <SegmentedControl aria-label="Lien status" data={STATUSES} value={status} onChange={setStatus} />
      <Table aria-label="Liens" striped>
        <Table.Thead><Table.Tr><Table.Th>APN</Table.Th><Table.Th>Owner</Table.Th><Table.Th>Amount</Table.Th>
          <Table.Th>Owed</Table.Th><Table.Th>Status</Table.Th><Table.Th>Noticed</Table.Th></Table.Tr></Table.Thead>
        <Table.Tbody>
          {(liens.data ?? []).map((l) => (
            <Table.Tr key={l.lien_id}>
              <Table.Td>{l.apn}</Table.Td>
              <Table.Td><Anchor component={Link} to={`/collections/accounts/${l.account_id}`}>{l.account_number ?? "—"}</Anchor>{" "}
                {l.owner_name}</Table.Td>
              <Table.Td><Money value={l.amount} /></Table.Td><Table.Td><Money value={l.owed} /></Table.Td>
              <Table.Td>{l.status}</Table.Td><Table.Td>{l.noticed_on}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
