/** The portal's own look: a customer's, not a clerk's — calm teal, round corners, larger type,
 * big touch targets on a phone. */
import { createTheme } from "@mantine/core";

export const portalTheme = createTheme({
  primaryColor: "cyan",
  primaryShade: { light: 9, dark: 6 },
  defaultRadius: "lg",
  fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  headings: { fontWeight: "700" },
  fontSizes: { md: "1.05rem" },
  components: {
    Button: { defaultProps: { size: "md" } },
    TextInput: { defaultProps: { size: "md" } },
    PasswordInput: { defaultProps: { size: "md" } },
    Select: { defaultProps: { size: "md" } },
    NumberInput: { defaultProps: { size: "md" } },
  },
});
