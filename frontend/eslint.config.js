// ESLint 9 flat config for the staff app and the portal (`npm run lint`, in `make test`).
import js from "@eslint/js";
import jsxA11y from "eslint-plugin-jsx-a11y";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  // Generated (openapi-typescript) and built files are not ours to lint.
  { ignores: ["dist/", "node_modules/", "src/api/schema.d.ts", "placeholder/"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  jsxA11y.flatConfigs.recommended,
  reactHooks.configs.flat.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    languageOptions: {
      ecmaVersion: 2022,
      globals: { ...globals.browser },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A login or reset page focuses its one field on purpose (keyboard first); DOM elements
      // are still checked, Mantine inputs (which pass it through) are not.
      "jsx-a11y/no-autofocus": ["error", { ignoreNonDOM: true }],
      // `_name` marks a value left out on purpose (`const { id: _id, ...rest } = x`), as tsc's
      // noUnusedLocals allows.
      "@typescript-eslint/no-unused-vars": ["error", {
        argsIgnorePattern: "^_", varsIgnorePattern: "^_",
      }],
    },
  },
  {
    files: ["**/*.test.{ts,tsx}", "src/test/**"],
    rules: {
      // Off in tests only: matchers (`expect.any(String)`) and a fake's `await req.json()` are
      // `any` by their own types, and asserting on exactly those values is the test's point.
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      // Off in tests only: a fake of `fetch` is async like the real one without awaiting.
      "@typescript-eslint/require-await": "off",
    },
  },
  {
    files: ["eslint.config.js"],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { ...globals.node } },
  },
);
