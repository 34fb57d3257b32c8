import {
  Button, FileInput, Group, NativeSelect, SegmentedControl, Stack, Text, TextInput, Textarea,
} from "@mantine/core";
import { useState, type FormEvent } from "react";

import { ReadableAlert } from "@/components/ReadableAlert";
import { UnsavedChangesModal } from "@/components/UnsavedChangesModal";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { useUnsavedChangesGuard } from "@/hooks/useUnsavedChangesGuard";

import {
  useAccountByNumber, useApply, useProgrammes, useServedPremises, type Application,
} from "../api/queries";
import { localToday, terms } from "../labels";

const SCANS = "application/pdf,image/png,image/jpeg,image/tiff";

/** A CSR takes in a rebate form: the account, the programme, what was installed and when, how
 * it is paid, and the scan. The server decides eligibility; an ineligible form is denied at
 * once and the result says why (the denial letter goes out). */
export function IntakeForm() {
  const programmes = useProgrammes();
  const [number, setNumber] = useState("");
  const [programme, setProgramme] = useState("");
  const [units, setUnits] = useState("");
  const [payment, setPayment] = useState<"credit" | "check">("credit");
  const [received, setReceived] = useState(localToday());
  const [installed, setInstalled] = useState("");
  const [note, setNote] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<Application | null>(null);
  const [key, renew] = useIdempotencyKey();
  const account = useAccountByNumber(number);
  const premises = useServedPremises(account.data?.id);
  const [premise, setPremise] = useState("");
  const several = (premises.data?.length ?? 0) > 1;
  const apply = useApply();
  const dirty = !!(number || units || installed || note || file);
  const blocker = useUnsavedChangesGuard(dirty && !apply.isPending);
  const chosen = programme || programmes.data?.[0]?.key || "";
  const offer = programmes.data?.find((p) => p.key === chosen);

  function reset() {
    setNumber(""); setUnits(""); setInstalled(""); setNote(""); setFile(null); setPremise("");
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!account.data) return;
    apply.mutate({
      key, file,
      body: { account_id: account.data.id, premise_id: several && premise ? premise : null,
        programme: chosen, units, payment,
        received_on: received, installed_on: installed || null, note: note.trim() || null },
    }, {
      onSuccess: (app) => {
        setResult(app);
        reset();
        renew();
      },
    });
  }

  return (
    <Stack component="form" onSubmit={submit} aria-label="Take in a rebate form" maw={560}>
      <UnsavedChangesModal blocker={blocker} />
      {result && (
        <ReadableAlert color={result.status === "denied" ? "orange" : "teal"}
          title={result.status === "denied" ? "Not eligible: denied" : "Taken in"}
          withCloseButton onClose={() => setResult(null)}>
          {result.status === "denied"
            ? `${result.reason}. The denial letter was sent to the customer.`
            : `Waiting for approval: $${result.amount} for account ${result.account_number}.`}
        </ReadableAlert>
      )}
      <TextInput label="Account number" required data-autofocus value={number}
        onChange={(e) => setNumber(e.currentTarget.value)}
        error={account.isError ? "No such account" : undefined}
        description={account.data ? `Account ${account.data.number} (${account.data.status})`
          : "The number on the form"} />
      {several && (
        <NativeSelect label="Premise" required value={premise}
          onChange={(e) => setPremise(e.currentTarget.value)}
          data={[{ value: "", label: "Choose the premise" },
            ...(premises.data ?? []).map((p) => ({ value: p.id,
              label: `${p.address.line1}, ${p.address.city}` }))]} />
      )}
      <NativeSelect label="Programme" value={chosen}
        onChange={(e) => setProgramme(e.currentTarget.value)}
        data={(programmes.data ?? []).map((p) => ({ value: p.key, label: p.name }))} />
      {offer && <Text size="sm">{terms(offer)}</Text>}
      <TextInput label={offer ? `Units (${offer.unit})` : "Units"} required inputMode="decimal"
        pattern="\d+(\.\d{1,2})?" value={units} onChange={(e) => setUnits(e.currentTarget.value)} />
      <Stack gap={4}>
        <Text size="sm" fw={500} id="rebate-payment">Paid as</Text>
        <SegmentedControl aria-labelledby="rebate-payment" value={payment}
          onChange={(v) => setPayment(v as "credit" | "check")}
          data={[{ value: "credit", label: "Bill credit" }, { value: "check", label: "Check" }]} />
      </Stack>
      <Group grow>
        <TextInput type="date" label="Form received" required value={received}
          onChange={(e) => setReceived(e.currentTarget.value)} />
        <TextInput type="date" label="Installed on" value={installed}
          onChange={(e) => setInstalled(e.currentTarget.value)} />
      </Group>
      <FileInput label="Scanned form" description="PDF or image, up to 10 MB" accept={SCANS}
        clearable value={file} onChange={setFile} />
      <Textarea label="Note" autosize minRows={2} value={note}
        onChange={(e) => setNote(e.currentTarget.value)} />
      <Group justify="flex-end">
        <Button type="submit" loading={apply.isPending} disabled={!account.data}>
          Take in
        </Button>
      </Group>
    </Stack>
  );
}
