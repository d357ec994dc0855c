import type { Range } from '../types.js';

/**
 * When a command runs. Only `start` and `deploy` commands run against a production database on
 * their own; `dev` and `test` are run by hand or in CI.
 */
export type CommandPhase = 'start' | 'deploy' | 'install' | 'build' | 'dev' | 'test' | 'unknown';

/** One command line found in a script-like file, with where and when it runs. */
export interface ScriptCommand {
  text: string;
  /** Offsets of `text` in the file. */
  range: Range;
  phase: CommandPhase;
  /** Inside a branch that runs only when the environment is test/development. */
  guardedByEnv?: boolean;
  /** How the command is reached, e.g. `package.json "start" → npm run db:reset`. */
  via?: string;
}
