import { Linter as Linter10 } from 'eslint';
import { Linter as Linter9 } from 'eslint9';
import tsParser from '@typescript-eslint/parser';
import plugin from '../../src/eslint/plugin.js';

export interface EslintMessage {
  ruleId: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

export const ESLINT_VERSIONS = { 'eslint 10': Linter10, 'eslint 9': Linter9 } as const;

/** Lints one file the way a user's flat config would: `dbguard.configs.all`, espree for JS, typescript-eslint's parser for TS. */
export function lintWithEslint(
  Linter: (typeof ESLINT_VERSIONS)[keyof typeof ESLINT_VERSIONS],
  text: string,
  filename: string,
  cwd: string,
  ruleOptions: Record<string, unknown[]> = {},
  settings: Record<string, unknown> = {},
): EslintMessage[] {
  const linter = new Linter({ cwd, configType: 'flat' } as never) as unknown as Linter10;
  const isTs = /\.[cm]?tsx?$/.test(filename);
  const rules = Object.fromEntries(
    Object.keys(plugin.configs.all.rules ?? {}).map((id) => [id, ['error', ...(ruleOptions[id.replace('dbguard/', '')] ?? [])]]),
  );
  const config = [
    {
      files: ['**/*.{js,mjs,cjs,jsx,ts,tsx,mts,cts}'],
      plugins: { dbguard: plugin },
      languageOptions: {
        ecmaVersion: 'latest',
        sourceType: /\.cjs$/.test(filename) ? 'commonjs' : 'module',
        ...(isTs ? { parser: tsParser } : {}),
        parserOptions: { ecmaFeatures: { jsx: /x$/.test(filename) } },
      },
      settings,
      rules,
    },
  ];
  const messages = linter.verify(text, config as never, { filename });
  return messages.map((m) => {
    if (m.fatal || !m.ruleId) throw new Error(`${filename}: ${m.message}`);
    return { ruleId: m.ruleId.replace(/^dbguard\//, ''), line: m.line, column: m.column, endLine: m.endLine ?? m.line, endColumn: m.endColumn ?? m.column, message: m.message };
  });
}
