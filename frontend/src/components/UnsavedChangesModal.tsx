import { Button, Group, Modal, Text } from "@mantine/core";
import type { Blocker } from "react-router-dom";

/** The question `useUnsavedChangesGuard` asks before in-app navigation drops a filled form. */
export function UnsavedChangesModal({ blocker }: { blocker: Blocker }) {
  return (
    <Modal opened={blocker.state === "blocked"} onClose={() => blocker.reset?.()}
      title="Leave without saving?" centered>
      <Text size="sm">What you typed on this page has not been saved.</Text>
      <Group justify="flex-end" mt="md">
        <Button variant="default" onClick={() => blocker.reset?.()} data-autofocus>
          Stay on this page
        </Button>
        <Button color="red" onClick={() => blocker.proceed?.()}>Leave</Button>
      </Group>
    </Modal>
  );
}
