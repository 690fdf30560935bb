// Lint rules plus the import boundaries from shared/STYLE.md ("Dependency direction"):
// the role services (media/, pbx/, storage/backup/, services/console/) are leaves. They may use the
// host's contract types, config, log, http, errors and storage/catalog, never each other; the host
// reaches a leaf only through its public face (index.ts) or its config schema (config-schema.ts).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const leaves = ["media", "pbx", "storage/backup", "services/console"];
const leafInternals = (leaf) => ({
  regex: `(^|/)${leaf.split("/").pop()}/(?!(index|config-schema)\\.js$).+`,
  message: `Reach ${leaf}/ only through its index.ts or config-schema.ts (STYLE: dependency direction).`,
});
const otherLeaf = (leaf) => ({
  regex: `(^|/)${leaf.split("/").pop()}/`,
  message: `Services never import each other: ${leaf}/ is another service. Use the event bus or the catalog.`,
});
const hostInternals = {
  regex: "(^|/)(host/host|host/service-runner|cli|control|dashboard|auth)(/|\\.js$)",
  message:
    "A role service may use only the host's contract (service.ts, event-bus.ts), config, log, http, errors and storage/catalog.",
};

const boundaryRules = leaves.map((leaf) => ({
  files: [`${leaf}/**/*.ts`],
  rules: {
    "no-restricted-imports": [
      "error",
      { patterns: [...leaves.filter((l) => l !== leaf).map(otherLeaf), hostInternals] },
    ],
  },
}));

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "services/dashboard/public/vendor/", ".test-tmp/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-empty": ["error", { allowEmptyCatch: false }],
      eqeqeq: ["error", "smart"],
    },
  },
  {
    files: ["services/**/*.ts"],
    ignores: ["services/console/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: ["media", "pbx", "storage/backup", "console"].map(leafInternals) },
      ],
    },
  },
  {
    files: ["storage/catalog/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "(^|/)(media|pbx|backup|console|host|http|auth|dashboard|cli|control)/",
              message: "The catalog is the bottom layer: it depends on nothing above it.",
            },
          ],
        },
      ],
    },
  },
  ...boundaryRules,
  {
    files: ["**/*.cjs"],
    languageOptions: {
      sourceType: "commonjs",
      globals: { require: "readonly", module: "writable", process: "readonly" },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["**/*.mjs", "**/*.js"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
);
