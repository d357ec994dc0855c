import { execFile } from 'node:child_process';

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a child process without blocking the test worker's event loop.
 *
 * Tests that spawn must not use `spawnSync`/`execFileSync`: vitest's worker answers its runner over
 * an RPC channel with a 60 s timer, and a file of synchronous spawns keeps the worker's event loop
 * from reading the answers. On a busy 2-core machine the timer fires first and the run ends with
 * `Timeout calling "onTaskUpdate"` although every test passed.
 */
export function runProcess(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {},
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { ...options, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      // A non-zero exit or a kill is a result to assert on; only a process that could not start is an error.
      if (error && typeof error.code === 'string') {
        reject(error);
        return;
      }
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

/** Runs `node` with the given arguments (the same binary as the test runner). */
export const runNode = (args: readonly string[], options: Parameters<typeof runProcess>[2] = {}) => runProcess(process.execPath, args, options);
