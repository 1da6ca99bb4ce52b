// Lint rules run by `npm test` (after the type check): the recommended sets of ESLint and
// typescript-eslint, plus the rules that keep hot paths and APIs honest.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.scratch/', 'docs/api/', 'src/kernels/wasm-binary.generated.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always'],
      // Scanners declare `let b = 0` and assign it inside the loop condition
      // (`(b = data[i]) !== QUOTE`): typed, monomorphic integer state, which this rule flags.
      'no-useless-assignment': 'off',
      'no-var': 'error',
      'prefer-const': 'error',
    },
  },
  {
    // src/ is the library: it never reaches into the simulator or the applications.
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '(^|/)(simulator|apps)/', message: 'src/ is library code only: it must not import the simulator or the apps.' }] }],
    },
  },
  {
    // The applications use the package's public API ('tickwire', 'tickwire/<venue>',
    // 'tickwire/simulator'), as a user's code would; relative imports stay inside their own folder.
    files: ['apps/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^\\.\\./', message: "Import the public API ('tickwire', 'tickwire/<venue>' or 'tickwire/simulator'), not another folder's files." }] }],
    },
  },
  // The simulator uses the public API too ('tickwire', 'tickwire/<venue>'); relative imports may
  // go anywhere inside simulator/ (its venue dialects share the engine) but never out of it: a
  // file N folders deep may climb at most N levels.
  ...[0, 1, 2, 3, 4, 5].map((depth) => ({
    files: [`simulator/${'*/'.repeat(depth)}*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: `^(\\.\\./){${depth + 1},}`, message: "The simulator imports the public API ('tickwire', 'tickwire/<venue>'), not files outside simulator/." }] },
      ],
    },
  })),
  {
    // Tests inspect parsed JSON of arbitrary shape.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly' } },
  },
);
