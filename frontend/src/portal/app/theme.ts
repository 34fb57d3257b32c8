/** The portal's own look: a customer's, not a clerk's — calm teal, round corners, larger type,
 * big touch targets on a phone. */
import { Alert, createTheme, type CSSVariablesResolver } from "@mantine/core";

export const portalTheme = createTheme({
  // Mantine's cyan with a deeper end: white text reads on shade 8 (hover) and 9 (5.6:1, 7.5:1).
  colors: {
    water: ["#e3fafc", "#c5f6fa", "#99e9f2", "#66d9e8", "#3bc9db", "#22b8cf", "#15aabf",
      "#1098ad", "#0b7285", "#095c6b"],
  },
  primaryColor: "water",
  primaryShade: { light: 9, dark: 6 },
  defaultRadius: "lg",
  fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  headings: { fontWeight: "700" },
  fontSizes: { md: "1.05rem" },
  components: {
    // A light alert's tinted text on its tinted background is too faint for some colours
    // (orange: 3.8:1); its words are in the text colour, the tint and border say the kind.
    Alert: Alert.extend({ styles: {
      title: { color: "var(--mantine-color-text)" },
      label: { color: "var(--mantine-color-text)" },
      message: { color: "var(--mantine-color-text)" },
    } }),
    Button: { defaultProps: { size: "md" } },
    TextInput: { defaultProps: { size: "md" } },
    PasswordInput: { defaultProps: { size: "md" } },
    Select: { defaultProps: { size: "md" } },
    NumberInput: { defaultProps: { size: "md" } },
  },
});

/** "Dimmed" text dark enough to read (WCAG AA, 4.5:1 on white): gray 7, not Mantine's gray 6. */
export const portalCssVariables: CSSVariablesResolver = () => ({
  variables: {},
  light: { "--mantine-color-dimmed": "var(--mantine-color-gray-7)" },
  dark: {},
});
