import {
  ActionIcon, Button, Group, NumberInput, SegmentedControl, Stack, Table, Text, TextInput, Title,
} from "@mantine/core";
import { useState, type FormEvent } from "react";

import { Money } from "@/components/Money";
import { UnsavedChangesModal } from "@/components/UnsavedChangesModal";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { useUnsavedChangesGuard } from "@/hooks/useUnsavedChangesGuard";

import { useMakeArrangement, type ArrangementIn } from "../api/queries";
import { addMonths, amortised, sumAmounts, type PreviewInstalment } from "../schedule";

type Kind = ArrangementIn["kind"];
const KINDS: { value: Kind; label: string }[] = [
  { value: "amortised", label: "Monthly instalments" },
  { value: "alternative", label: "Own schedule" },
  { value: "deferral", label: "Deferral" },
];

/** What is sent for each kind; the total left empty is the amount past due today. */
export function arrangementBody(kind: Kind, total: string, months: number, firstDue: string,
                                rows: PreviewInstalment[], deferTo: string,
                                note: string): ArrangementIn {
  const body: ArrangementIn = { kind, total: total.trim() || null, note: note.trim() || null };
  if (kind === "amortised") Object.assign(body, { months, first_due_on: firstDue || null });
  if (kind === "alternative") {
    body.instalments = rows.map((r) => ({ due_on: r.dueOn, amount: r.amount.trim() }));
  }
  if (kind === "deferral") body.defer_to = deferTo;
  return body;
}

/** Make an arrangement, seeing its schedule before it is made. */
export function ArrangementForm({ accountId, pastDue, today, defaultMonths, onDone }: {
  accountId: string; pastDue: string; today: string; defaultMonths: number; onDone: () => void;
}) {
  const [kind, setKind] = useState<Kind>("amortised");
  const [total, setTotal] = useState("");
  const [months, setMonths] = useState<number | "">(defaultMonths);
  const [firstDue, setFirstDue] = useState(addMonths(today, 1));
  const [rows, setRows] = useState<PreviewInstalment[]>([{ dueOn: addMonths(today, 1), amount: "" }]);
  const [deferTo, setDeferTo] = useState("");
  const [note, setNote] = useState("");
  const [key, renewKey] = useIdempotencyKey();
  const make = useMakeArrangement(accountId);
  const blocker = useUnsavedChangesGuard(total !== "" || note !== "" || deferTo !== "");
  const amount = total.trim() || pastDue;
  const preview: PreviewInstalment[] | null =
    kind === "amortised" ? (months === "" ? null : amortised(amount, months, firstDue))
      : kind === "deferral" ? (deferTo ? [{ dueOn: deferTo, amount }] : null)
        : rows;
  const rowsSum = kind === "alternative" ? sumAmounts(rows.map((r) => r.amount || "0")) : null;

  function submit(event: FormEvent) {
    event.preventDefault();
    const count = months === "" ? defaultMonths : months;
    make.mutate({ body: arrangementBody(kind, total, count, firstDue, rows, deferTo, note), key }, {
      onSuccess: () => {
        renewKey();
        setTotal("");
        setNote("");
        setDeferTo("");
        onDone();
      },
    });
  }

  function setRow(i: number, patch: Partial<PreviewInstalment>) {
    setRows((old) => old.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  }

  return (
    <Stack component="form" onSubmit={submit} aria-label="Make an arrangement">
      <UnsavedChangesModal blocker={blocker} />
      <Title order={3} size="h5">Make an arrangement</Title>
      <SegmentedControl aria-label="Kind of arrangement" data={KINDS} value={kind}
        onChange={(v) => setKind(v as Kind)} />
      <Group grow align="flex-start">
        <TextInput label="Total ($)" inputMode="decimal" value={total}
          placeholder={pastDue} description="Empty: the amount past due today"
          styles={{ description: { color: "var(--mantine-color-gray-7)" } }}
          onChange={(e) => setTotal(e.currentTarget.value)} />
        {kind === "amortised" && (
          <>
            <NumberInput label="Months" min={1} max={defaultMonths} value={months}
              clampBehavior="strict" allowDecimal={false}
              onChange={(v) => setMonths(v === "" ? "" : Number(v))} />
            <TextInput type="date" label="First instalment" value={firstDue}
              onChange={(e) => setFirstDue(e.currentTarget.value)} />
          </>
        )}
        {kind === "deferral" && (
          <TextInput type="date" label="Pay everything by" required value={deferTo}
            onChange={(e) => setDeferTo(e.currentTarget.value)} />
        )}
      </Group>
      {kind === "alternative" && (
        <Stack gap="xs">
          {rows.map((row, i) => (
            <Group key={i} align="flex-end">
              <TextInput type="date" label={`Instalment ${i + 1} due`} required value={row.dueOn}
                onChange={(e) => setRow(i, { dueOn: e.currentTarget.value })} />
              <TextInput label={`Instalment ${i + 1} amount ($)`} required inputMode="decimal"
                value={row.amount} onChange={(e) => setRow(i, { amount: e.currentTarget.value })} />
              <ActionIcon variant="subtle" color="red" aria-label={`Remove instalment ${i + 1}`}
                disabled={rows.length === 1}
                onClick={() => setRows((old) => old.filter((_, j) => j !== i))}>×</ActionIcon>
            </Group>
          ))}
          <Group>
            <Button variant="light" size="xs" onClick={() => setRows((old) => [...old, {
              dueOn: addMonths(old[old.length - 1]?.dueOn || today, 1), amount: "" }])}>
              Add instalment
            </Button>
            <Text size="sm">Sum {rowsSum === null ? "—" : <Money value={rowsSum} />} of{" "}
              <Money value={amount} /></Text>
          </Group>
        </Stack>
      )}
      <TextInput label="Note" value={note} onChange={(e) => setNote(e.currentTarget.value)} />
      {kind !== "alternative" && (
        preview ? (
          <Table aria-label="Schedule preview" withTableBorder maw={420}>
            <Table.Thead><Table.Tr><Table.Th>#</Table.Th><Table.Th>Due</Table.Th>
              <Table.Th>Amount</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {preview.map((p, i) => (
                <Table.Tr key={i}><Table.Td>{i + 1}</Table.Td><Table.Td>{p.dueOn}</Table.Td>
                  <Table.Td><Money value={p.amount} /></Table.Td></Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : <Text size="sm" c="gray.7">The schedule shows once the total and dates are complete.</Text>
      )}
      <Group justify="flex-end">
        <Button type="submit" loading={make.isPending}>Make arrangement</Button>
      </Group>
    </Stack>
  );
}
