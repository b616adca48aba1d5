// ESLint (flat config): typescript-eslint's recommended rules for TypeScript, eslint-plugin-svelte's
// for components. Not type-aware: the type checks are svelte-check's and tsc's (npm run typecheck,
// tsconfig.core.json), and a type-aware lint of the whole tree would take minutes on two cores.
import js from '@eslint/js';
import globals from 'globals';
import svelte from 'eslint-plugin-svelte';
import ts from 'typescript-eslint';

export default ts.config(
  {
    ignores: ['dist/', 'dev-dist/', 'node_modules/', 'test-artifacts/', 'bench-out/', '.sieve-out/', 'public/'],
  },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: {
      globals: { ...globals.browser, ...globals.worker, ...globals.node },
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] },
    },
  },
  {
    // A generated file (test/unit/eval/fixtures/scipy_reference.py writes it).
    ignores: ['test/unit/eval/fixtures/scipyReference.ts'],
  },
  {
    rules: {
      // `_name` marks a parameter or binding kept for a signature or a destructuring (as tsc's noUnusedParameters does).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // `cond ? a++ : b++` as a statement is used on purpose in counting loops.
      '@typescript-eslint/no-unused-expressions': ['error', { allowTernary: true, allowShortCircuit: true }],
      // Errors are re-thrown with the cause's message in their own text; they cross worker boundaries
      // and the CLI's output, where a `cause` is dropped.
      'preserve-caught-error': 'off',
      // Setting a large input to null so the GC can take it (bench/ingest.ts, memory.test.ts) is deliberate.
      'no-useless-assignment': 'off',
      // It flags plain Maps and Sets built and read inside a $derived or a plain function, which need no reactivity.
      'svelte/prefer-svelte-reactivity': 'off',
      // Table headers and cells are lists by position with no identity to key on.
      'svelte/require-each-key': 'off',
      // {' '} keeps a space that Svelte would trim at the edge of an {#if} block.
      'svelte/no-useless-mustaches': 'off',
    },
  },
  // The layers, as in .dependency-cruiser.cjs, here because dependency-cruiser reads a .svelte file
  // after compiling it, when its type imports are gone.
  {
    files: ['src/core/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/app/**', '**/ui/**', '**/workers/**', '**/node/**', '**/cli/**'], message: 'src/core imports no host (page, workers, Node, CLI).' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/ui/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/workers/**'], message: 'Components reach the workers through src/app.' }] },
      ],
    },
  },
);
