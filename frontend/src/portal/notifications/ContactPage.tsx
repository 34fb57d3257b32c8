import { Button, Card, Group, Radio, Skeleton, Stack, Text } from "@mantine/core";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";

import { useCurrentAccount } from "../app/account";
import { LeaveGuard } from "../app/LeaveGuard";
import { PageTitle } from "../app/PageTitle";
import { usePreferences, useSavePreferences, type Channels, type Preference } from "./api";

const CHOICES: Channels[] = ["email", "text", "both", "none"];

/** What changed between the saved choices and the form's. */
export function changes(saved: Preference[], chosen: Record<string, Channels>): [string, Channels][] {
  return saved.filter((p) => chosen[p.kind] && chosen[p.kind] !== p.channels)
    .map((p) => [p.kind, chosen[p.kind]!]);
}

/**
 * How we contact you: for each kind of message, e-mail, text, both or off. A kind the customer
 * may not turn off (the bill itself, the autopay amount before it is drawn) offers "off"
 * disabled, with the reason in words.
 */
export function ContactPage() {
  const { t } = useTranslation();
  const { accountId } = useCurrentAccount();
  const saved = usePreferences(accountId);
  const save = useSavePreferences(accountId);
  const [key, renewKey] = useIdempotencyKey();
  const [edited, setChosen] = useState<Record<string, Channels> | null>(null);
  const [outcome, setOutcome] = useState<"saved" | "unchanged" | null>(null);
  // Another account's choices start again from what is saved for it.
  const [choosingFor, setChoosingFor] = useState(accountId);
  if (accountId !== choosingFor) {
    setChoosingFor(accountId);
    setChosen(null);
  }
  const chosen = edited ?? (saved.data
    ? Object.fromEntries(saved.data.map((p) => [p.kind, p.channels as Channels])) : null);

  const pending = saved.data && chosen ? changes(saved.data, chosen) : [];

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!pending.length) {
      setOutcome("unchanged");
      return;
    }
    save.mutate({ changes: pending, idempotencyKey: key }, {
      onSuccess: () => {
        setOutcome("saved");
        renewKey();
      },
    });
  }

  return (
    <Stack>
      <PageTitle>{t("contact.title")}</PageTitle>
      <Text>{t("contact.intro")}</Text>
      <Text size="sm" c="dimmed">{t("contact.textsHelp")}</Text>
      <LeaveGuard dirty={pending.length > 0 && !save.isPending} />
      {!saved.data || !chosen ? <Skeleton h={320} /> : (
        <form onSubmit={submit}>
          <Stack>
            {saved.data.map((p) => {
              const reason = p.may_opt_out ? null
                : t("contact.mustSend", { reason: t(`contact.why.${p.kind}`,
                  { defaultValue: t("contact.why.other") }) });
              return (
                <Card withBorder key={p.kind}>
                  <Radio.Group name={p.kind} value={chosen[p.kind]}
                    label={t(`contact.kind.${p.kind}`, { defaultValue: p.label })}
                    description={reason}
                    onChange={(v) => {
                      setOutcome(null);
                      setChosen({ ...chosen, [p.kind]: v as Channels });
                    }}>
                    <Group mt="xs" gap="lg">
                      {CHOICES.map((c) => (
                        <Radio key={c} value={c} label={t(`contact.${c}`)} size="md"
                          disabled={c === "none" && !p.may_opt_out} />
                      ))}
                    </Group>
                  </Radio.Group>
                </Card>
              );
            })}
            <Group>
              <Button type="submit" loading={save.isPending}>{t("common.save")}</Button>
              {outcome && (
                <Text role="status" c="teal.9">
                  {outcome === "saved" ? t("contact.saved") : t("contact.unchanged")}</Text>
              )}
            </Group>
          </Stack>
        </form>
      )}
    </Stack>
  );
}
