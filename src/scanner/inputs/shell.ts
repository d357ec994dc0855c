import type { CommandPhase, ScriptCommand } from '../../core/scripts/commands.js';

/** `[ "$NODE_ENV" = "test" ]`, `[[ $APP_ENV == development ]]`, `"$TESTING"`: a test/dev-only condition. */
const TEST_ENV_CONDITION = /\$\{?(?:NODE_ENV|APP_ENV|ENV|ENVIRONMENT|FLASK_ENV|DJANGO_ENV|RAILS_ENV|STAGE)\}?"?\s*={1,2}\s*"?(?:test|testing|development|dev|local)\b|\$\{?(?:TESTING|CI|IS_TEST)\}?/i;
const ENV_VARIABLE = String.raw`\$\{?(?:NODE_ENV|APP_ENV|ENV|ENVIRONMENT|FLASK_ENV|DJANGO_ENV|RAILS_ENV|STAGE)\}?"?\s*`;
/** `[ "$NODE_ENV" != "test" ]`: the else branch is the test/dev-only one. */
const NOT_TEST_ENV_CONDITION = new RegExp(`${ENV_VARIABLE}!=\\s*"?(?:test|testing|development|dev|local)\\b`, 'i');
/** `[ "$NODE_ENV" = "production" ]`: the else branch runs everywhere but production. */
const PRODUCTION_CONDITION = new RegExp(`${ENV_VARIABLE}={1,2}\\s*"?(?:production|prod)\\b`, 'i');
/** `[ "$NODE_ENV" != "production" ]`: the then branch runs everywhere but production. */
const NOT_PRODUCTION_CONDITION = new RegExp(`${ENV_VARIABLE}!=\\s*"?(?:production|prod)\\b`, 'i');

/**
 * Whether each branch of an `if` condition runs only outside production, as the JS/TS and Python
 * readings of `NODE_ENV` decide it: `= test` guards its then-branch, `= production` its else-branch,
 * and `!=` the other way round.
 */
function shellEnvBranches(condition: string): { whenTrue: boolean; whenFalse: boolean } {
  if (NOT_TEST_ENV_CONDITION.test(condition)) return { whenTrue: false, whenFalse: true };
  if (TEST_ENV_CONDITION.test(condition) || NOT_PRODUCTION_CONDITION.test(condition)) return { whenTrue: true, whenFalse: false };
  if (PRODUCTION_CONDITION.test(condition)) return { whenTrue: false, whenFalse: true };
  return { whenTrue: false, whenFalse: false };
}

/**
 * Commands of a shell script, each with whether an enclosing `if`/`case` branch runs only in a
 * test or development environment. Line-based: good enough for entrypoints, which are short and flat.
 */
export function extractShellCommands(text: string, phase: CommandPhase, via: string): ScriptCommand[] {
  const commands: ScriptCommand[] = [];
  // Each open `if`: which of its branches run only outside production, and which branch we are in.
  const ifs: { branches: { whenTrue: boolean; whenFalse: boolean }; inElse: boolean; hadElif: boolean }[] = [];
  const guarded = () => ifs.some((open) => (open.inElse ? !open.hadElif && open.branches.whenFalse : open.branches.whenTrue));
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
      const branches = shellEnvBranches(ifMatch[1]!);
      if (trimmed.startsWith('if')) ifs.push({ branches, inElse: false, hadElif: false });
      // After an `elif`, the final `else` runs when neither condition held: not known from either alone.
      else if (ifs.length > 0) ifs[ifs.length - 1] = { branches, inElse: false, hadElif: true };
      continue;
    }
    if (/^else\b/.test(trimmed)) {
      if (ifs.length > 0) ifs[ifs.length - 1]!.inElse = true;
      continue;
    }
    if (/^fi\b/.test(trimmed)) {
      ifs.pop();
      continue;
    }
    // One-liners: `[ "$NODE_ENV" = "test" ] && npx prisma migrate reset --force`
    const oneLiner = /^(?:\[\[?[^\]]*\]\]?|test\s+[^&|]*)\s*&&/.exec(trimmed);
    const guardedHere = oneLiner !== null && TEST_ENV_CONDITION.test(oneLiner[0]);
    const commentAt = trimmed.search(/\s#/);
    const body = commentAt === -1 ? line : line.slice(0, line.indexOf(trimmed) + commentAt);
    const at = lineStart + line.indexOf(trimmed);
    commands.push({ text: body.trim(), range: [at, at + body.trim().length], phase, guardedByEnv: guardedHere || guarded(), via });
  }
  return commands;
}

/** Entry-point scripts by name: they run on every start even when nothing we parsed references them. */
export function isEntrypointScriptName(path: string): boolean {
  return /(?:^|\/)(?:docker-)?entrypoint[\w.-]*\.sh$|(?:^|\/)(?:start|boot|run|startup|launch|prestart)[\w.-]*\.sh$/i.test(path);
}
