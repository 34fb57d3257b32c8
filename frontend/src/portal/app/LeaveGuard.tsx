import { Button, Group, Modal, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";

import { useUnsavedChangesGuard } from "@/hooks/useUnsavedChangesGuard";

/** The staff app's unsaved-change guard, asked in the customer's language. */
export function LeaveGuard({ dirty }: { dirty: boolean }) {
  const { t } = useTranslation();
  const blocker = useUnsavedChangesGuard(dirty);
  return (
    <Modal opened={blocker.state === "blocked"} onClose={() => blocker.reset?.()}
      title={t("leave.title")} centered>
      <Text size="sm">{t("leave.body")}</Text>
      <Group justify="flex-end" mt="md">
        <Button variant="default" onClick={() => blocker.reset?.()} data-autofocus>{t("leave.stay")}</Button>
        <Button color="red" onClick={() => blocker.proceed?.()}>{t("leave.leave")}</Button>
      </Group>
    </Modal>
  );
}
