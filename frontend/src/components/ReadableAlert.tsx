import { Alert, type AlertProps } from "@mantine/core";
import type { ReactNode } from "react";

/**
 * Mantine's Alert with its title in the body's text colour (a light green, orange or yellow
 * tint under shade-9 text stays below WCAG's 4.5:1) and a named close button, so axe passes
 * whatever colour says what kind of news it is.
 */
export function ReadableAlert({ children, styles, ...props }: AlertProps & {
  children?: ReactNode;
}) {
  return (
    <Alert closeButtonLabel="Dismiss" {...props}
      styles={{ title: { color: "var(--mantine-color-text)" }, ...(styles as object) }}>
      {children}
    </Alert>
  );
}
