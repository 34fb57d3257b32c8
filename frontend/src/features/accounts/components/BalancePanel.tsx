import { Card, Group, SimpleGrid, Skeleton, Stack, Text, Title } from "@mantine/core";

import { Money } from "@/components/Money";

import type { Aging, Ledger } from "../api/queries";

const BUCKETS: [keyof Aging["buckets"], string][] = [
  ["current", "Current"], ["days_1_30", "1–30"], ["days_31_60", "31–60"],
  ["days_61_90", "61–90"], ["days_91_120", "91–120"], ["days_over_120", "Over 120"],
];

/** Balance from billing's ledger (the book of record) and aging from collections. */
export function BalancePanel({ ledger, aging }: { ledger?: Ledger; aging?: Aging }) {
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Group justify="space-between" align="baseline">
          <Title order={2} size="h4">Balance</Title>
          {ledger ? (
            <Money value={ledger.balance} size="xl" fw={700} data-testid="account-balance" />
          ) : <Skeleton h={24} w={100} />}
        </Group>
        {ledger && ledger.unapplied_credit !== "0" && ledger.unapplied_credit !== "0.00" && (
          <Text size="sm">Unapplied credit <Money value={ledger.unapplied_credit} /></Text>
        )}
        {aging && (
          <>
            <Text size="sm" c={aging.days_past_due > 0 ? "red.8" : "dimmed"}>
              Past due <Money value={aging.past_due} />
              {aging.days_past_due > 0 && ` · ${aging.days_past_due} days`}
              {` · as of ${aging.as_of}`}
            </Text>
            <SimpleGrid cols={{ base: 3, sm: 6 }} spacing="xs" aria-label="Aging">
              {BUCKETS.map(([key, label]) => (
                <div key={key}>
                  <Text size="xs" c="dimmed">{label}</Text>
                  <Money value={aging.buckets[key]} size="sm" />
                </div>
              ))}
            </SimpleGrid>
          </>
        )}
      </Stack>
    </Card>
  );
}
