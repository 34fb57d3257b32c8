import { Badge, Card, Group, Skeleton, Stack, Text, Title } from "@mantine/core";

import type { Account, Customer } from "../api/queries";

function address(a: Account["mailing_address"]): string {
  return [a.line1, a.line2, `${a.city}, ${a.state} ${a.postal_code}`].filter(Boolean).join(", ");
}

export function AccountHeader({ account, customer }: { account: Account; customer?: Customer }) {
  return (
    <Card withBorder>
      <Stack gap={4}>
        <Group gap="sm">
          <Title order={1} size="h3">{customer?.name ?? <Skeleton h={20} w={200} />}</Title>
          <Badge color={account.status === "active" ? "green" : "gray"}>{account.status}</Badge>
          {account.paperless && <Badge variant="light">paperless</Badge>}
        </Group>
        <Text size="sm">
          Account <Text span ff="monospace" fw={600}>{account.number}</Text>
          {" · "}opened {account.opened_on}
          {account.closed_on && ` · closed ${account.closed_on}`}
        </Text>
        <Text size="sm" c="dimmed">Mail to {address(account.mailing_address)}</Text>
        {customer && (
          <Text size="sm" c="dimmed">
            {[...customer.phones, ...customer.emails].join(" · ") || "No phone or e-mail on file"}
            {` · ${customer.kind} · language ${customer.language}`}
          </Text>
        )}
      </Stack>
    </Card>
  );
}
