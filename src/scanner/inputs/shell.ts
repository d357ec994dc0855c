import type { CommandPhase, ScriptCommand } from '../../core/scripts/commands.js';

/** `[ "$NODE_ENV" = "test" ]`, `[[ $APP_ENV == development ]]`, `"$TESTING"`: a test/dev-only condition. */
const TEST_ENV_CONDITION = /\$\{?(?:NODE_ENV|APP_ENV|ENV|ENVIRONMENT|FLASK_ENV|DJANGO_ENV|RAILS_ENV|STAGE)\}?"?\s*={1,2}\s*"?(?:test|testing|development|dev|local)\b|\$\{?(?:TESTING|CI|IS_TEST)\}?/i;

/**
 * Commands of a shell script, each with whether an enclosing `if`/`case` branch runs only in a
 * test or development environment. Line-based: good enough for entrypoints, which are short and flat.
 */
export function extractShellCommands(text: string, phase: CommandPhase, via: string): ScriptCommand[] {
  const commands: ScriptCommand[] = [];
  // Each open `if` records whether its current branch is test/dev only.
  const guards: boolean[] = [];
  const conditions: boolean[] = [];
  let offset = 0;
  let heredoc: string | undefined;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/\r$/, '');
    const lineStart = offset;
    offset += rawLine.length + 1;
    if (heredoc) {
      if (line.trim() === heredoc) heredoc = undefined;
      continue;
    }
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const heredocStart = /<<-?\s*['"]?(\w+)['"]?/.exec(trimmed);
    if (heredocStart) heredoc = heredocStart[1];
    const ifMatch = /^(?:if|elif)\s+(.*?);?\s*(?:then)?\s*$/.exec(trimmed);
    if (ifMatch) {
      const isTest = TEST_ENV_CONDITION.test(ifMatch[1]!);
      if (trimmed.startsWith('if')) {
        conditions.push(isTest);
        guards.push(isTest);
      } else {
        guards[guards.length - 1] = isTest;
      }
      continue;
    }
    if (/^else\b/.test(trimmed)) {
      // The else of `if [ "$NODE_ENV" != "test" ]` would be test-only; we keep it simple and treat else as unguarded.
      guards[guards.length - 1] = false;
      continue;
    }
    if (/^fi\b/.test(trimmed)) {
      guards.pop();
      conditions.pop();
      continue;
    }
    // One-liners: `[ "$NODE_ENV" = "test" ] && npx prisma migrate reset --force`
    const oneLiner = /^(?:\[\[?[^\]]*\]\]?|test\s+[^&|]*)\s*&&/.exec(trimmed);
    const guardedHere = oneLiner !== null && TEST_ENV_CONDITION.test(oneLiner[0]);
    const commentAt = trimmed.search(/\s#/);
    const body = commentAt === -1 ? line : line.slice(0, line.indexOf(trimmed) + commentAt);
    const at = lineStart + line.indexOf(trimmed);
    commands.push({ text: body.trim(), range: [at, at + body.trim().length], phase, guardedByEnv: guardedHere || guards.some(Boolean), via });
  }
  return commands;
}

/** Entry-point scripts by name: they run on every start even when nothing we parsed references them. */
export function isEntrypointScriptName(path: string): boolean {
  return /(?:^|\/)(?:docker-)?entrypoint[\w.-]*\.sh$|(?:^|\/)(?:start|boot|run|startup|launch|prestart)[\w.-]*\.sh$/i.test(path);
}
