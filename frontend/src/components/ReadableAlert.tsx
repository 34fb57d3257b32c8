import { Alert, type AlertProps } from "@mantine/core";
import type { ReactNode } from "react";

/**
 * Mantine's Alert with its title in the text colour: the light variant draws the title in the
 * colour's middle shade (green 2.1:1, gray 2.8:1 on its own background), which axe rightly
 * refuses (WCAG AA asks 4.5:1). The coloured background and icon still say what kind it is.
 */
export function ReadableAlert({ styles, ...props }: AlertProps & { children?: ReactNode }) {
  return (
    <Alert {...props} styles={{ title: { color: "var(--mantine-color-text)" }, ...(styles as object) }} />
  );
}
