import {
  Button, Card, Group, SegmentedControl, Stack, Text, TextInput, Title,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useState, type FormEvent } from "react";

import { Money } from "@/components/Money";
import { ReadableAlert } from "@/components/ReadableAlert";
import { UnsavedChangesModal } from "@/components/UnsavedChangesModal";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { useUnsavedChangesGuard } from "@/hooks/useUnsavedChangesGuard";
import { openPdf } from "@/lib/api";
import { notifyProblem } from "@/lib/queryClient";

import { useCounterAccount, useTakePayment, type Payment, type PaymentIn } from "../api/queries";

type Tender = PaymentIn["tender"];
// Cards are taken only through the processor (a token), never keyed in at the counter.
const TENDERS: { value: Tender; label: string }[] = [
  { value: "cash", label: "Cash" }, { value: "check", label: "Check" },
  { value: "money_order", label: "Money order" },
];

function receipt(number: number) {
  openPdf(`/api/payments/receipts/${number}/pdf`).catch(notifyProblem);
}

/** One payment at the counter: account, amount, tender; a receipt when it is taken. */
export function TakePayment({ drawerId }: { drawerId: string }) {
  const [accountNumber, setAccountNumber] = useState("");
  const [amount, setAmount] = useState("");
  const [tender, setTender] = useState<Tender>("cash");
  const [checkNumber, setCheckNumber] = useState("");
  const [bank, setBank] = useState("");
  const [moneyOrder, setMoneyOrder] = useState("");
  const [last, setLast] = useState<Payment | null>(null);
  const [key, renewKey] = useIdempotencyKey();
  const [lookup] = useDebouncedValue(accountNumber.replace(/[\s-]/g, ""), 250);
  const account = useCounterAccount(lookup);
  const take = useTakePayment(drawerId);
  const blocker = useUnsavedChangesGuard(accountNumber !== "" || amount !== "");

  function submit(event: FormEvent) {
    event.preventDefault();
    const body: PaymentIn = { account_number: accountNumber.trim(), amount: amount.trim(), tender };
    if (tender === "check") Object.assign(body, { check_number: checkNumber, bank: bank || null });
    if (tender === "money_order") body.money_order_number = moneyOrder;
    take.mutate({ body, key }, {
      onSuccess: (payment) => {
        setLast(payment);
        setAccountNumber("");
        setAmount("");
        setCheckNumber("");
        setBank("");
        setMoneyOrder("");
        renewKey();
      },
    });
  }

  return (
    <Card withBorder>
      <UnsavedChangesModal blocker={blocker} />
      <Title order={2} size="h4" mb="sm">Take a payment</Title>
      <Stack component="form" onSubmit={submit} aria-label="Take a payment">
        <TextInput label="Account number" required value={accountNumber} autoComplete="off"
          onChange={(e) => setAccountNumber(e.currentTarget.value)} />
        {account.data && (
          <Text size="sm">
            {account.data.name} · balance <Money value={account.data.balance} />
            {account.data.open_bills.length > 0 &&
              ` · ${account.data.open_bills.length} open bill(s)`}
          </Text>
        )}
        {account.data?.cash_only && (
          <ReadableAlert color="orange" title="Cash only">
            No checks from this account{account.data.cash_only_until
              ? ` until ${account.data.cash_only_until}` : ""}.
            {account.data.cash_only_reason ? ` ${account.data.cash_only_reason}` : ""}
          </ReadableAlert>
        )}
        <TextInput label="Amount ($)" required inputMode="decimal" value={amount}
          onChange={(e) => setAmount(e.currentTarget.value)} />
        <SegmentedControl aria-label="Tender" data={TENDERS} value={tender}
          onChange={(v) => setTender(v as Tender)} />
        {tender === "check" && (
          <Group grow>
            <TextInput label="Check number" required value={checkNumber}
              onChange={(e) => setCheckNumber(e.currentTarget.value)} />
            <TextInput label="Bank" value={bank} onChange={(e) => setBank(e.currentTarget.value)} />
          </Group>
        )}
        {tender === "money_order" && (
          <TextInput label="Money order number" required value={moneyOrder}
            onChange={(e) => setMoneyOrder(e.currentTarget.value)} />
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={take.isPending}>Take payment</Button>
        </Group>
      </Stack>
      {last && (
        <ReadableAlert color="green" mt="md" title={`Receipt ${last.receipt_number}`}>
          <Group justify="space-between">
            <Text size="sm">
              <Money value={last.amount} /> {last.tender.replace("_", " ")} on account{" "}
              {last.account_number}
            </Text>
            <Button size="xs" variant="light" onClick={() => receipt(last.receipt_number)}>
              Receipt PDF
            </Button>
          </Group>
        </ReadableAlert>
      )}
    </Card>
  );
}
