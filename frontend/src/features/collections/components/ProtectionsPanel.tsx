import { Badge, Button, Group, Select, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useState, type FormEvent } from "react";

import { UnsavedChangesModal } from "@/components/UnsavedChangesModal";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { useUnsavedChangesGuard } from "@/hooks/useUnsavedChangesGuard";

import {
  useProtections, useRecordProtections, type Protections, type ProtectionsIn,
} from "../api/queries";

export type Section = "medical" | "financial" | "willing" | "low_income" | "reached";
const SECTIONS: { value: Section; label: string }[] = [
  { value: "medical", label: "Medical certification" },
  { value: "financial", label: "Financial inability" },
  { value: "willing", label: "Willing to arrange" },
  { value: "low_income", label: "Low-income household" },
  { value: "reached", label: "Customer reached" },
];
const BASES = [
  { value: "calworks", label: "CalWORKs" }, { value: "calfresh", label: "CalFresh" },
  { value: "general_assistance", label: "General assistance" }, { value: "medi_cal", label: "Medi-Cal" },
  { value: "ssi_ssp", label: "SSI/SSP" }, { value: "wic", label: "WIC" },
  { value: "income_below_200_fpl", label: "Income below 200% FPL" },
];
const HOW = [{ value: "phone", label: "Phone" }, { value: "in_person", label: "In person" },
  { value: "email", label: "E-mail" }];

export interface Fields { on: string; until: string; certifier: string; basis: string; how: string }

/** One section as the API takes it (the server checks dates against today and the floors). */
export function protectionsBody(section: Section, f: Fields): ProtectionsIn {
  switch (section) {
    case "medical":
      return { medical: { certified_on: f.on, expires_on: f.until || null, certifier: f.certifier } };
    case "financial":
      return { financial: { basis: f.basis as "calworks", on: f.on } };
    case "willing":
      return { willing: { on: f.on } };
    case "low_income":
      return { low_income: { basis: f.basis, on: f.on, until: f.until || null } };
    case "reached":
      return { reached: { on: f.on, how: f.how as "phone" } };
  }
}

function describe(p: Protections, s: Section): string | null {
  const v = p[s];
  if (!v) return null;
  if (s === "medical" && p.medical) {
    return `certified ${p.medical.certified_on}${p.medical.expires_on ? `, expires ${p.medical.expires_on}` : ""}` +
      `${p.medical.certifier ? ` by ${p.medical.certifier}` : ""}${p.medical.in_force ? "" : " (lapsed)"}`;
  }
  if (s === "low_income" && p.low_income) {
    return `${p.low_income.basis ?? ""} since ${p.low_income.on}` +
      `${p.low_income.until ? ` until ${p.low_income.until}` : ""}${p.low_income.in_force ? "" : " (lapsed)"}`;
  }
  if (s === "financial" && p.financial) return `${p.financial.basis ?? ""} on ${p.financial.on}`;
  if (s === "reached" && p.reached) return `${p.reached.how ?? ""} on ${p.reached.on}`;
  if (s === "willing" && p.willing) return `on ${p.willing.on}`;
  return null;
}

/** SB 998's protections of a household: what is recorded, and recording one. */
export function ProtectionsPanel({ accountId, today }: { accountId: string; today: string }) {
  const protections = useProtections(accountId);
  const record = useRecordProtections(accountId);
  const [section, setSection] = useState<Section>("medical");
  const [fields, setFields] = useState<Fields>({ on: today, until: "", certifier: "", basis: "", how: "phone" });
  const [key, renewKey] = useIdempotencyKey();
  const blocker = useUnsavedChangesGuard(fields.certifier !== "" || fields.until !== "");
  const set = (patch: Partial<Fields>) => setFields((f) => ({ ...f, ...patch }));

  function submit(event: FormEvent) {
    event.preventDefault();
    record.mutate({ body: protectionsBody(section, fields), key }, {
      onSuccess: () => {
        renewKey();
        setFields({ on: today, until: "", certifier: "", basis: "", how: "phone" });
      },
    });
  }

  function clear(s: Section) {
    record.mutate({ body: { clear: [s] }, key: `${key}-clear-${s}` }, { onSuccess: renewKey });
  }

  const p = protections.data;
  return (
    <Stack>
      <Group>
        <Title order={3} size="h5">Protections</Title>
        {p && (p.protected
          ? <Badge color="orange">Protected from disconnection (SB 998)</Badge>
          : <Badge color="gray" variant="light">Not protected</Badge>)}
      </Group>
      {p && (
        <Table aria-label="Protections" maw={760}>
          <Table.Tbody>
            {SECTIONS.map((s) => (
              <Table.Tr key={s.value}>
                <Table.Th scope="row">{s.label}</Table.Th>
                <Table.Td>{describe(p, s.value) ?? <Text span c="gray.7">none</Text>}</Table.Td>
                <Table.Td>
                  {p[s.value] && (
                    <Button size="xs" variant="subtle" color="red" onClick={() => clear(s.value)}
                      aria-label={`Withdraw ${s.label.toLowerCase()}`}>Withdraw</Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Stack component="form" onSubmit={submit} aria-label="Record a protection" maw={760}>
        <UnsavedChangesModal blocker={blocker} />
        <Group grow align="flex-start">
          <Select label="Record" data={SECTIONS} value={section} allowDeselect={false}
            onChange={(v) => v && setSection(v as Section)} />
          <TextInput type="date" label={section === "medical" ? "Certified on" : "On"} required
            value={fields.on} onChange={(e) => set({ on: e.currentTarget.value })} />
          {(section === "medical" || section === "low_income") && (
            <TextInput type="date" label={section === "medical" ? "Expires on" : "Until"}
              value={fields.until} onChange={(e) => set({ until: e.currentTarget.value })} />
          )}
        </Group>
        {section === "medical" && (
          <TextInput label="Certifier (primary care provider)" required value={fields.certifier}
            onChange={(e) => set({ certifier: e.currentTarget.value })} />
        )}
        {(section === "financial" || section === "low_income") && (
          <Select label="Basis" data={BASES} required value={fields.basis || null}
            onChange={(v) => set({ basis: v ?? "" })} />
        )}
        {section === "reached" && (
          <Select label="How" data={HOW} value={fields.how} allowDeselect={false}
            onChange={(v) => v && set({ how: v })} />
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={record.isPending}>Record</Button>
        </Group>
      </Stack>
    </Stack>
  );
}
