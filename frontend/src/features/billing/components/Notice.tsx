import { Alert, type AlertProps } from "@mantine/core";

/**
 * An Alert whose title reads as body text: Mantine's light variant draws the title in the
 * colour's 6th shade, which fails WCAG contrast (axe: serious) on its own tinted background.
 */
export function Notice(props: AlertProps) {
  return <Alert {...props} styles={{ title: { color: "var(--mantine-color-text)" } }} />;
}
