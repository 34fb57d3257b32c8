/**
 * The staff app's look, tuned for WCAG AA contrast (axe runs over every screen in the browser
 * tests): Mantine's default shade 6 puts white text on #228be6 at 3.5:1, its "dimmed" grey
 * at 3.3:1, and light variants (an active navigation link) draw shade 6 text on a tint; all fail
 * 4.5:1. Filled colours use shade 8 with black or white text by luminance, dimmed text gray 7,
 * light variants shade 9 darkened.
 */
import {
  createTheme, darken, defaultVariantColorsResolver, parseThemeColor, type CSSVariablesResolver,
  type MantineThemeColors, type VariantColorsResolver,
} from "@mantine/core";

/** Text on a light tint: shade 9 darkened by 35% (green 9 alone is 3.9:1 on its tint, yellow 9 at 25% 4.3:1). */
const tintText = (colors: MantineThemeColors, c: string) => darken(colors[c]![9], 0.35);

const variantColorResolver: VariantColorsResolver = (input) => {
  const colors = defaultVariantColorsResolver(input);
  if (input.variant !== "light" && input.variant !== "subtle") return colors;
  const parsed = parseThemeColor({ color: input.color || input.theme.primaryColor,
    theme: input.theme });
  if (!parsed.isThemeColor || parsed.color === "dark") return colors;
  return { ...colors, color: tintText(input.theme.colors, parsed.color) };
};

export const theme = createTheme({
  primaryShade: { light: 8, dark: 8 },
  autoContrast: true,
  luminanceThreshold: 0.18, // white text needs a background of luminance ≤ 0.183 for 4.5:1
  variantColorResolver,
});

/** Light-variant text (badges, alerts, an active link without an explicit colour). */
export const cssVariables: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    "--mantine-color-dimmed": "var(--mantine-color-gray-7)",
    "--mantine-primary-color-light-color": tintText(t.colors, t.primaryColor),
    ...Object.fromEntries(Object.keys(t.colors).filter((c) => c !== "dark").map((c) =>
      [`--mantine-color-${c}-light-color`, tintText(t.colors, c)])),
  },
  dark: { "--mantine-color-dimmed": "var(--mantine-color-dark-1)" },
});
