import { Text, type TextProps } from "@mantine/core";

import { formatMoney } from "@/lib/money";

/** An amount from the API, formatted without floats; credits (negative) shown in green. */
export function Money({ value, ...props }: { value: string | null | undefined } & TextProps) {
  const credit = typeof value === "string" && value.trim().startsWith("-");
  return (
    <Text span ff="monospace" c={credit ? "teal.9" : undefined} {...props}>
      {formatMoney(value)}
    </Text>
  );
}
