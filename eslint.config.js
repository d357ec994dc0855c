// The repository lints itself, with its own plugin among the rules (dogfooding): dbguard must stay
// silent on dbguard, whose source is full of the words it looks for.
import tsParser from '@typescript-eslint/parser';
import dbguard from './lib/src/eslint/plugin.js';

export default [
  { ignores: ['lib/**', 'dist/**', 'node_modules/**', 'fixtures/**', 'coverage/**'] },
  dbguard.configs.all,
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tsParser, ecmaVersion: 'latest', sourceType: 'module' },
  },
  {
    files: ['**/*.{ts,js}'],
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'no-debugger': 'error',
      'no-dupe-keys': 'error',
      'no-duplicate-case': 'error',
      'no-self-compare': 'error',
      'no-template-curly-in-string': 'error',
      'no-unreachable': 'error',
      'no-unsafe-finally': 'error',
      'no-useless-catch': 'error',
      eqeqeq: ['error', 'always'],
      'prefer-const': 'error',
      'no-var': 'error',
    },
  },
  {
    // Rule tests hold source code as strings, `${…}` included.
    files: ['**/*.test.ts'],
    rules: { 'no-template-curly-in-string': 'off' },
  },
];
