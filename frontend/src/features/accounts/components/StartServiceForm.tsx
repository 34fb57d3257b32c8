import {
  Alert, Button, Checkbox, Group, Radio, SimpleGrid, Stack, Text, TextInput, Title,
} from "@mantine/core";
import { useState, type ChangeEvent, type FormEvent } from "react";

import { Money } from "@/components/Money";
import { UnsavedChangesModal } from "@/components/UnsavedChangesModal";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { useUnsavedChangesGuard } from "@/hooks/useUnsavedChangesGuard";

import {
  useStartService, type SearchHit, type StartServiceIn, type StartServiceOut,
} from "../api/service";
import { PremisePicker } from "./PremisePicker";

export const today = () => new Date().toLocaleDateString("en-CA"); // YYYY-MM-DD, local

interface NewCustomer {
  name: string; line1: string; city: string; state: string; postal_code: string;
  phone: string; email: string;
}
const EMPTY: NewCustomer = { name: "", line1: "", city: "", state: "CA", postal_code: "",
  phone: "", email: "" };

/** The answer of a move-in, in the words a CSR reads back to the customer. */
export function StartedSummary({ out }: { out: StartServiceOut }) {
  return (
    <Alert color="green" title="Service started">
      <Stack gap={2}>
        <Text size="sm">
          Account {out.account.number} for {out.customer.name}:{" "}
          {out.service_agreements.map((sa) => `${sa.service} (${sa.rate_class})`).join(", ")}
          {" "}from {out.service_agreements[0]?.start_date}.
        </Text>
        <Text size="sm">
          Turn-on order #{out.service_order.number} for {out.service_order.scheduled_date} at{" "}
          {out.service_order.address}.
        </Text>
        <Text size="sm">
          Deposit: {out.deposit.required
            ? <>required, <Money value={out.deposit.amount} /> ({out.deposit.reason})</>
            : `none (${out.deposit.reason})`}.
          {" "}A welcome letter is on its way.
        </Text>
      </Stack>
    </Alert>
  );
}

/**
 * Move-in at a premise (usually a vacant one): for this customer on this account or a new one,
 * or for a new customer; the deposit decision (owner, letter of credit, a reason to waive) is
 * the server's, by policy.
 */
export function StartServiceForm({ customerId, accountId, premise: fixed, onStarted }: {
  customerId?: string; accountId?: string; premise?: SearchHit;
  onStarted?: (out: StartServiceOut) => void;
}) {
  const [premise, setPremise] = useState<SearchHit | null>(fixed ?? null);
  const [startDate, setStartDate] = useState(today);
  const [sameAccount, setSameAccount] = useState(!!accountId);
  const [owner, setOwner] = useState(false);
  const [credit, setCredit] = useState(false);
  const [waive, setWaive] = useState("");
  const [customer, setCustomer] = useState<NewCustomer>(EMPTY);
  const [key, renewKey] = useIdempotencyKey();
  const start = useStartService();
  const dirty = !start.isSuccess && (!!premise && !fixed || waive.trim() !== ""
    || customer.name.trim() !== "");
  const blocker = useUnsavedChangesGuard(dirty);
  const field = (k: keyof NewCustomer) => ({
    value: customer[k],
    onChange: (e: ChangeEvent<HTMLInputElement>) => {
      const v = e.currentTarget.value;
      setCustomer((c) => ({ ...c, [k]: v }));
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!premise) return;
    const body: StartServiceIn = {
      start_date: startDate, premise_id: premise.id,
      deposit: { is_owner: owner, letter_of_credit: credit,
        waive_reason: waive.trim() || null },
    };
    if (customerId) {
      body.customer_id = customerId;
      if (accountId && sameAccount) body.account_id = accountId;
    } else {
      body.customer = {
        kind: "person", name: customer.name.trim(), language: "en", paperless: false,
        text_messages: false,
        mailing_address: { line1: customer.line1.trim(), city: customer.city.trim(),
          state: customer.state.trim().toUpperCase(), postal_code: customer.postal_code.trim() },
        phones: customer.phone.trim() ? [customer.phone.trim()] : [],
        emails: customer.email.trim() ? [customer.email.trim()] : [],
      };
    }
    start.mutate({ body, key }, {
      onSuccess: (out) => {
        renewKey();
        onStarted?.(out);
      },
    });
  }

  if (start.data) return <StartedSummary out={start.data} />;
  return (
    <form onSubmit={submit} aria-label="Start service">
      <UnsavedChangesModal blocker={blocker} />
      <Stack gap="sm">
        <Title order={3} size="h5">Start service</Title>
        {!fixed && (
          <PremisePicker label="Premise" value={premise} onChange={setPremise} required />
        )}
        {premise?.status === "occupied" && (
          <Alert color="yellow" title="Occupied premise">
            Someone has active service here; starting it for this customer stops theirs only if
            it is the owner's standing service. The server refuses anything else.
          </Alert>
        )}
        <TextInput type="date" label="Start date" required value={startDate} w={200}
          onChange={(e) => setStartDate(e.currentTarget.value)} />
        {accountId && (
          <Radio.Group label="Account" value={sameAccount ? "same" : "new"}
            onChange={(v) => setSameAccount(v === "same")}>
            <Group mt={4}>
              <Radio value="same" label="Add to this account" />
              <Radio value="new" label="Open a new account for this customer" />
            </Group>
          </Radio.Group>
        )}
        {!customerId && (
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
            <TextInput label="Customer name" required {...field("name")} />
            <TextInput label="Phone" {...field("phone")} />
            <TextInput label="Mailing address" required {...field("line1")} />
            <TextInput label="City" required {...field("city")} />
            <TextInput label="State" required maxLength={2} {...field("state")} />
            <TextInput label="ZIP code" required {...field("postal_code")} />
            <TextInput label="E-mail" type="email" {...field("email")} />
          </SimpleGrid>
        )}
        <Group>
          <Checkbox label="Customer owns the premise" checked={owner}
            onChange={(e) => setOwner(e.currentTarget.checked)} />
          <Checkbox label="Letter of credit on file" checked={credit}
            onChange={(e) => setCredit(e.currentTarget.checked)} />
        </Group>
        <TextInput label="Reason to waive the deposit (optional)" value={waive}
          onChange={(e) => setWaive(e.currentTarget.value)} maxLength={300} />
        <Group justify="flex-end">
          <Button type="submit" loading={start.isPending} disabled={!premise}>
            Start service
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
