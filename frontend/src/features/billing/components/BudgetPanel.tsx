import { Button, Card, Group, Loader, Modal, Stack, Text, Title } from "@mantine/core";
import { useState } from "react";

import { Money } from "@/components/Money";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { useSession } from "@/lib/auth";
import { can } from "@/lib/permissions";

import { useBudget, useEnrolBudget, useSettleBudget } from "../api/budget";
import { Notice } from "./Notice";

/**
 * Budget billing on one account, for Account 360: the plan and what it has deferred; enrol
 * (the average of the last 12 bills) and the annual true-up for those who may.
 */
export function BudgetPanel({ accountId }: { accountId: string }) {
  const role = useSession()?.role;
  const budget = useBudget(accountId);
  const enrol = useEnrolBudget(accountId);
  const settle = useSettleBudget(accountId);
  const [enrolKey, renewEnrol] = useIdempotencyKey();
  const [settleKey, renewSettle] = useIdempotencyKey();
  const [asking, setAsking] = useState(false);
  const may = can(role, "budget.enrol");

  return (
    <Card withBorder aria-label="Budget billing" component="section">
      <Title order={2} size="h4" mb="xs">Budget billing</Title>
      {budget.isLoading && <Loader role="status" size="sm" aria-label="Loading budget billing" />}
      {budget.isError && <Text c="red" size="sm">{budget.error.message}</Text>}
      {budget.data === null && (
        <Stack gap="xs">
          <Text size="sm">Not on budget billing. Enrolling sets a monthly amount from the
            average of the account's last 12 bills.</Text>
          {may && (
            <Group>
              <Button size="xs" loading={enrol.isPending}
                onClick={() => enrol.mutate(enrolKey, { onSuccess: renewEnrol })}>
                Enrol in budget billing
              </Button>
            </Group>
          )}
        </Stack>
      )}
      {budget.data && (
        <Stack gap="xs">
          <Group gap="xl">
            <div><Text size="xs" c="gray.7">Monthly amount</Text>
              <Money value={budget.data.monthly_amount} fw={700} /></div>
            <div><Text size="xs" c="gray.7">Deferred since last true-up</Text>
              <Money value={budget.data.deferred} fw={700} /></div>
            <div><Text size="xs" c="gray.7">Enrolled</Text>
              <Text fw={700}>{budget.data.enrolled_on}</Text></div>
            <div><Text size="xs" c="gray.7">Status</Text>
              <Text fw={700}>{budget.data.status}</Text></div>
          </Group>
          {may && budget.data.status === "active" && (
            <Group>
              <Button size="xs" variant="light" loading={settle.isPending}
                onClick={() => setAsking(true)}>Settle (annual true-up)</Button>
            </Group>
          )}
          {settle.data && (
            <Notice color="green">
              Settled <Money value={settle.data.settled} />; the balance is now{" "}
              <Money value={settle.data.balance} />.
            </Notice>
          )}
        </Stack>
      )}
      <Modal opened={asking} onClose={() => setAsking(false)} title="Settle budget billing?"
        closeButtonProps={{ "aria-label": "Close" }}
        centered>
        <Text size="sm">The deferred difference
          {budget.data ? <> (<Money value={budget.data.deferred} />)</> : null} is posted to the
          account now.</Text>
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => setAsking(false)}>Cancel</Button>
          <Button data-autofocus onClick={() => {
            setAsking(false);
            settle.mutate(settleKey, { onSuccess: renewSettle });
          }}>Settle</Button>
        </Group>
      </Modal>
    </Card>
  );
}
