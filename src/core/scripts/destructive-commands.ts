/**
 * Shell commands that destroy data, recognised in any command line: package.json scripts,
 * Dockerfiles, compose files, entrypoints, Procfiles, and `execSync('…')` in code.
 */
export interface DestructiveCommand {
  /** The command as written, e.g. `prisma migrate reset --force`. */
  command: string;
  /** What it does to the data, completing "`command` …". */
  effect: string;
  /** Offsets of `command` in the analysed line. */
  start: number;
  end: number;
}

interface CommandPattern {
  /** Matched against the words of one simple command, launcher prefixes (`npx`, `yarn`…) removed. */
  words: RegExp;
  effect: string;
}

const PATTERNS: readonly CommandPattern[] = [
  { words: /^prisma migrate reset\b/, effect: 'drops the database and re-creates it from migrations: every row is lost' },
  { words: /^prisma db push\b.*--(?:accept-data-loss|force-reset)\b/, effect: 'resets or drops tables and columns that do not match the schema, with their data' },
  { words: /^drizzle-kit push(?::\w+)?\b.*--force\b/, effect: 'applies schema changes that drop tables or columns without asking' },
  { words: /^(?:typeorm(?:-ts-node-(?:commonjs|esm))?|ts-node \S*typeorm\S*) schema:drop\b/, effect: 'drops every table of the data source' },
  { words: /^(?:typeorm(?:-ts-node-(?:commonjs|esm))?|ts-node \S*typeorm\S*) schema:sync\b/, effect: 'synchronises the schema to the entities, dropping columns and tables that no longer match' },
  { words: /^(?:sequelize(?:-cli)?) db:drop\b/, effect: 'drops the database' },
  { words: /^(?:sequelize(?:-cli)?) db:migrate:undo:all\b/, effect: 'reverts every migration, dropping the tables they created' },
  { words: /^knex migrate:rollback\b.*--all\b/, effect: 'rolls back every migration, dropping the tables they created' },
  { words: /^(?:dropdb)\b/, effect: 'drops the PostgreSQL database' },
  // Global options may come first: `alembic -c deploy/alembic.ini downgrade base`, `flask --app kanban db downgrade base`.
  { words: /^alembic(?: (?:-c|--config|-n|--name|-x) \S+| --?[\w-]+)* downgrade base\b/, effect: 'downgrades past the first revision, dropping every table Alembic created' },
  { words: /^flask(?: (?:-A|--app|-e|--env-file) \S+| --?[\w-]+)* db downgrade base\b/, effect: 'downgrades past the first revision, dropping every table' },
  { words: /^(?:python\d?(?:\.\d+)? )?(?:\S*manage\.py|django-admin) (?:flush|reset_db)\b/, effect: 'deletes every row of every table' },
  { words: /^(?:python\d?(?:\.\d+)? )?(?:\S*manage\.py|django-admin) migrate \w+ zero\b/, effect: "reverts every migration of the app, dropping the tables they created" },
  { words: /^rm (?:-\S+ )*.*(?:\.(?:db|sqlite3?|sqlite)|\bdata(?:base)?\.?\w*)(?:\s|$)/, effect: 'deletes the database file' },
];

/** A word every command `findDestructiveCommands` recognises contains: its rules' prefilters. */
export const DESTRUCTIVE_COMMAND_TEXT = /reset|push|drop|schema:|undo|rollback|downgrade|flush|\brm\b|\bzero\b/i;

/** The programs `PATTERNS` know: every command they recognise names one (launchers are stripped, not added). */
const DESTRUCTIVE_PROGRAM = /prisma|drizzle-kit|typeorm|sequelize|knex|dropdb|alembic|flask|manage\.py|django-admin|\brm\b/;

/**
 * Whether text may hold a command `findDestructiveCommands` recognises: a program it knows and a
 * destructive verb. The verb alone is in most files (`.push(`, `reset()`, `dropdown`); with the
 * program, a file that spawns `node` or runs `regExp.exec()` is not parsed for a command.
 */
export function mayHoldDestructiveCommand(text: string): boolean {
  return DESTRUCTIVE_PROGRAM.test(text) && DESTRUCTIVE_COMMAND_TEXT.test(text);
}

const LAUNCHERS = /^(?:(?:npx|bunx|pnpx)(?: (?:--yes|-y|--no-install|--no|-p \S+|--package[= ]\S+))* |(?:yarn|pnpm)(?: dlx| exec)? |npm exec (?:-- )?|bun x |bun run |node_modules\/\.bin\/|\.\/node_modules\/\.bin\/|uv run |poetry run |pipenv run |python\d?(?:\.\d+)? -m )/;
const ENV_ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=(?:"[^"]*"|'[^']*'|\S*) /;

/** Splits a command line into simple commands: `a && b || c; d | e` → a, b, c, d, e. */
export function splitCommandLine(line: string): { text: string; start: number }[] {
  const parts: { text: string; start: number }[] = [];
  let start = 0;
  let quote: string | undefined;
  for (let i = 0; i <= line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\') i++;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      continue;
    }
    const isSeparator = c === undefined || c === ';' || c === '\n' || c === '|' || c === '&' || c === '(' || c === ')' || c === '`';
    if (isSeparator) {
      parts.push({ text: line.slice(start, i), start });
      if ((c === '&' || c === '|') && line[i + 1] === c) i++;
      start = i + 1;
    }
  }
  return parts;
}

function normalise(text: string): { words: string; offset: number } {
  let rest = text;
  let offset = 0;
  const eat = (re: RegExp) => {
    const m = re.exec(rest);
    if (!m) return false;
    rest = rest.slice(m[0].length);
    offset += m[0].length;
    return true;
  };
  eat(/^\s+/);
  for (let guard = 0; guard < 8; guard++) {
    if (!(eat(ENV_ASSIGNMENT) || eat(/^(?:exec|sudo|time|env|command|cross-env(?:-shell)?) /) || eat(LAUNCHERS))) break;
    eat(/^\s+/);
  }
  const words = rest.replace(/["']/g, '').replace(/\s+/g, ' ').trimEnd();
  return { words, offset };
}

const SHELL_C = /^(\s*(?:(?:\/usr)?\/bin\/)?(?:ba|z|da)?sh\s+-c\s+)(["'])(.*)\2\s*$/s;

export function findDestructiveCommands(line: string, depth = 0): DestructiveCommand[] {
  const found: DestructiveCommand[] = [];
  for (const part of splitCommandLine(line)) {
    // `sh -c "a && b"`: the quoted script is itself a command line.
    const nested = depth < 3 ? SHELL_C.exec(part.text) : null;
    if (nested) {
      const at = part.start + nested[1]!.length + 1;
      for (const hit of findDestructiveCommands(nested[3]!, depth + 1)) found.push({ ...hit, start: hit.start + at, end: hit.end + at });
      continue;
    }
    const { words, offset } = normalise(part.text);
    if (words.length === 0) continue;
    for (const pattern of PATTERNS) {
      if (pattern.words.test(words)) {
        const start = part.start + offset;
        const end = part.start + part.text.trimEnd().length;
        found.push({ command: line.slice(start, end), effect: pattern.effect, start, end });
        break;
      }
    }
  }
  return found;
}

/** npm-style invocations of other scripts: `npm run db:reset`, `yarn db:reset`, `pnpm run x`. */
export function findScriptInvocations(line: string): { name: string; start: number; end: number }[] {
  const found: { name: string; start: number; end: number }[] = [];
  for (const part of splitCommandLine(line)) {
    const m = /^\s*(?:npm run(?:-script)?|npm|yarn run|yarn|pnpm run|pnpm|bun run)\s+(?:--\S+\s+)*([\w:.-]+)/.exec(part.text);
    if (!m) continue;
    const name = m[1]!;
    if (/^(?:install|ci|i|add|exec|dlx|x|test|start)$/.test(name) && !/run/.test(m[0])) {
      if (name === 'test' || name === 'start') found.push({ name, start: part.start, end: part.start + m[0].length });
      continue;
    }
    found.push({ name, start: part.start, end: part.start + m[0].length });
  }
  return found;
}
