// ESLint for the pages' scripts (native ES modules in the browser) and these Node tools.
// scripts/lint-js.sh runs it from the checkout's root: the paths below are from there.
import js from "@eslint/js";
import globals from "globals";

export default [
  {
    files: ["web/static/web/**/*.js"],
    ...js.configs.recommended,
    languageOptions: { ecmaVersion: "latest", sourceType: "module", globals: globals.browser },
    rules: { ...js.configs.recommended.rules, "no-undef": "error" },
  },
  {
    // Node scripts; what they hand the browser to run (page.evaluate) sees the page's globals.
    files: ["web/tests/node/**/*.mjs"],
    ...js.configs.recommended,
    languageOptions: { ecmaVersion: "latest", sourceType: "module", globals: { ...globals.node, ...globals.browser } },
    rules: { ...js.configs.recommended.rules, "no-undef": "error" },
  },
];
