import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/**
 * The layers, bottom first: a folder may import from the folders before it, never after. The
 * viewer is its own stack on top of model/ only. cli/ is the top: every command, including the
 * docs and property scripts that drive the test harness. docs/architecture.md draws the same picture.
 */
export const LAYERS = ['model', 'core', 'db', 'api/store', 'api/stix', 'api/tables', 'api/ingest', 'api/graphql', 'api/http', 'seed', 'bench', 'test', 'cli'];

export const layerZones = [
  ...LAYERS.map((target, i) => ({
    target: `./${target}`,
    // Tests may import the viewer's pure modules (e.g. its filters, run against the shared cases).
    from: [...LAYERS.slice(i + 1), ...(target === 'test' ? [] : ['viewer'])].map((f) => `./${f}`),
    message: `${target}/ sits below these folders (layers: ${LAYERS.join(' → ')}); move the shared code down instead.`,
  })),
  { target: './viewer', from: LAYERS.filter((l) => l !== 'model').map((f) => `./${f}`), message: 'the viewer may import model/ only; everything else reaches it through the API.' },
];

/** The boundary rule on its own, so a test can lint a made-up file against it. */
export const boundaryConfig = {
  plugins: { 'import-x': importX },
  settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })] },
  rules: { 'import-x/no-restricted-paths': ['error', { zones: layerZones }] },
};

const TYPED_FILES = ['{model,core,db,api,seed,bench,cli,test}/**/*.ts', 'viewer/src/**/*.ts'];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'viewer/dist/', 'db/lib/', '.data/', '.prof/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // Type-aware rules for the TypeScript the project's tsconfig covers; the config files themselves
  // (eslint.config.*, viewer/vite.config.ts) are outside it and keep the untyped rules only.
  ...tseslint.configs.recommendedTypeChecked.map((c) => ({ ...c, files: TYPED_FILES })),
  {
    files: TYPED_FILES,
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // node:test's describe/it return promises the runner itself tracks; awaiting them is not how
      // the runner is meant to be used, so they are known-safe rather than floating.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] }] },
      ],
      // Tests read parsed JSON (bench reports, GraphQL responses, page state) and assert its shape
      // field by field; declaring types for it would only repeat the assertions. Passing such values
      // on as arguments is still checked (no-unsafe-argument stays on).
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  { files: ['**/*.ts'], ...boundaryConfig },
);
