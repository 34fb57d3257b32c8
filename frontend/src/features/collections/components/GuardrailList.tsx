import { List, Text, ThemeIcon } from "@mantine/core";

import type { components } from "@/api/schema";

type Refusal = components["schemas"]["RefusalOut"];

/** SB 998's refusals of a disconnection, each with its rule and the day it next allows it. */
export function GuardrailList({ refusals }: { refusals: Refusal[] }) {
  if (refusals.length === 0) return <Text size="sm" c="teal.9">Every guardrail allows it.</Text>;
  return (
    <List spacing={4} size="sm" icon={<ThemeIcon color="red" size={14} radius="xl" aria-hidden>{" "}</ThemeIcon>}>
      {refusals.map((r) => (
        <List.Item key={r.rule}>
          <Text span fw={600} size="sm">{r.rule}</Text>: {r.message}
          {r.next_on ? ` (allowed from ${r.next_on})` : " (until a fact changes)"}
          {r.offer ? ` · offer: ${r.offer}` : ""}
        </List.Item>
      ))}
    </List>
  );
}
