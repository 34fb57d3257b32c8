import { Badge } from "@mantine/core";

import { statusLook } from "../status";

/** A message's status in words on a filled badge (the colour only repeats the word); never
 * cut short by a narrow table column. */
export function StatusBadge({ status }: { status: string }) {
  const look = statusLook(status);
  return (
    <Badge color={look.color} title={look.hint} style={{ minWidth: "max-content" }}>
      {look.label}</Badge>
  );
}
