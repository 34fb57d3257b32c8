import { Stack, Text } from "@mantine/core";

import { Money } from "@/components/Money";

import type { Application } from "../api/queries";
import { PAYMENT_LABEL, STATUS_LABEL } from "../labels";

/** An application's amount and how it is paid (a bill credit or a check), as every rebate
 * table shows it. */
export function RebateAmount({ app }: { app: Application }) {
  return (
    <Stack gap={0}>
      <Money value={app.amount} />
      <Text size="xs">{PAYMENT_LABEL[app.payment]}</Text>
    </Stack>
  );
}

/** An application's status, who decided it and when, and the reason given. */
export function RebateStatus({ app }: { app: Application }) {
  return (
    <Stack gap={0}>
      <Text size="sm" fw={600}>{STATUS_LABEL[app.status]}</Text>
      {app.decided_by && <Text size="xs">{app.decided_by}, {app.decided_on}</Text>}
      {app.reason && <Text size="xs">{app.reason}</Text>}
    </Stack>
  );
}
