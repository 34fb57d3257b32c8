import { NativeSelect, Table, Text, Title } from "@mantine/core";

import { newId } from "@/lib/ids";

import { usePreferences, useSetPreference, type Channels } from "../api/queries";

const CHOICES: { value: Channels; label: string }[] = [
  { value: "email", label: "E-mail" }, { value: "text", label: "Text" },
  { value: "both", label: "Both" }, { value: "none", label: "Off" },
];

/**
 * How the customer wants each kind of message; a CSR changes it for a caller (each change is
 * saved at once, with its own Idempotency-Key). "Off" is not offered for a kind the customer
 * may not turn off.
 */
export function PreferencesTable({ accountId, canChange }: { accountId: string; canChange: boolean }) {
  const prefs = usePreferences(accountId);
  const set = useSetPreference(accountId);
  if (!prefs.data) return null;
  return (
    <>
      <Title order={2} size="h4">How the customer wants to hear</Title>
      <Table aria-label="Message preferences" maw={640}>
        <Table.Thead>
          <Table.Tr><Table.Th>Message</Table.Th><Table.Th>By</Table.Th></Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {prefs.data.map((p) => (
            <Table.Tr key={p.kind}>
              <Table.Td>
                <Text size="sm">{p.label}</Text>
                {!p.may_opt_out && <Text size="xs" c="dimmed">Required: cannot be turned off</Text>}
              </Table.Td>
              <Table.Td>
                {canChange ? (
                  <NativeSelect size="xs" aria-label={`${p.label}: send by`} value={p.channels}
                    disabled={set.isPending}
                    data={CHOICES.filter((c) => c.value !== "none" || p.may_opt_out)}
                    onChange={(e) => set.mutate({ kind: p.kind, key: newId(),
                      channels: e.currentTarget.value as Channels })} />
                ) : (
                  <Text size="sm">{CHOICES.find((c) => c.value === p.channels)?.label ?? p.channels}</Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}
