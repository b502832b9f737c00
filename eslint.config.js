// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'coverage/**', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // Tests read untyped JSON responses and index into arrays they just checked.
    files: ['**/*.test.ts', '**/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  // Layers: bench → apps → packages, and inside the server db → http → modules; nothing points back up.
  {
    files: ['packages/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/apps/**'], message: 'Packages never import the apps.' }] },
      ],
    },
  },
  {
    files: ['apps/server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/web/**', '@tiaki/web', '@tiaki/web/**'],
              message:
                'The server never imports the web app: shared words and types live in packages/domain.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/server/src/db/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/http/**', '**/modules/**', '**/web/**'],
              message: 'db is the bottom layer: throw a db error (db/errors.ts) and let http map it.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/server/src/http/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // Authentication is the one module the request pipeline needs.
              regex: 'modules/(?!(auth|audit|api-keys)/service\\.ts$)',
              message:
                'http sits below the modules: move what both need to a neutral place (security/, db/).',
            },
            { group: ['**/web/**'], message: 'The server never imports the web app.' },
          ],
        },
      ],
    },
  },
  {
    // Modules meet through their public surface only: what a module exports from its index.ts.
    files: ['apps/server/src/modules/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./[a-z-]+/(?!index\\.ts$)',
              message: "Use another module through its index.ts (import from '../<module>/index.ts').",
            },
            { group: ['**/web/**'], message: 'The server never imports the web app.' },
          ],
        },
      ],
    },
  },
  {
    // SQL lives in a module's queries.ts (routes → service → queries), or in its queries/ folder
    // when one file would be too long (statistics): every module, a new one included.
    // `bash scripts/sql-outside-queries.sh` counts what this rule finds (0).
    files: ['apps/server/src/modules/**/*.ts'],
    ignores: ['**/*.test.ts', '**/queries.ts', '**/queries/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='kysely'] ImportSpecifier[imported.name='sql']",
          message:
            "SQL lives in this module's queries.ts: write the sql`…` there and call it from the service.",
        },
        {
          selector:
            'CallExpression[callee.property.name=/^(selectFrom|selectNoFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)$/]',
          message:
            "SQL lives in this module's queries.ts: build the query there and call it from the service.",
        },
      ],
    },
  },
  {
    // What the web app uses from the domain stays free of the holiday calendar (a large library).
    files: [
      'packages/domain/src/schemas/**/*.ts',
      'packages/domain/src/reference/**/*.ts',
      'packages/domain/src/labels.ts',
      'packages/domain/src/workflow/{dates,decision-vocabulary,vocabulary}.ts',
    ],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/apps/**'], message: 'Packages never import the apps.' },
            {
              regex: '(^date-holidays$|(^|/)(calendar|decisions)\\.ts$)',
              message:
                'Keep the holiday calendar out of what the web app loads: use workflow/dates.ts or decision-vocabulary.ts.',
            },
          ],
        },
      ],
    },
  },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
  prettier,
);
