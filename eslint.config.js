// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'data/**',
      'artifacts/**',
      'coverage/**',
      'src/console/assets/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportAllDeclaration', message: 'Public entries use named exports, not export *.' },
        { selector: 'TSEnumDeclaration', message: 'Use const objects instead of enums.' },
      ],
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // Modules talk to each other only through their public entry (index.ts).
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./\\.\\./modules/[^/]+/(?!index\\.js$).+',
              message: 'Import another module through its index.js public entry.',
            },
            {
              regex:
                '^\\.\\./(customers|items|stock|assets|contracts|technicians|work-orders|maintenance-plans|billing)/(?!index\\.js$).+',
              message: 'Import another module through its index.js public entry.',
            },
          ],
        },
      ],
    },
  },
  {
    // The one composition root allowed to see every module's table declarations (types only).
    files: ['src/platform/db/database.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', URL: 'readonly', console: 'readonly' } },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', '**/*.test.ts'],
    rules: { 'max-lines': 'off', 'no-restricted-imports': 'off' },
  },
);
