import { describe, expect, it } from 'vitest';
import { findDestructiveCommands, mayHoldDestructiveCommand } from '../../src/core/scripts/destructive-commands.js';
import { extractDockerfileCommands } from '../../src/scanner/inputs/dockerfile.js';
import { phaseOfScript, readPackageJson } from '../../src/scanner/inputs/package-json.js';
import { extractShellCommands } from '../../src/scanner/inputs/shell.js';
import type { ScriptInput } from '../../src/core/types.js';
import { noDestructiveScript } from './no-destructive-script.js';

const detect = (input: Omit<ScriptInput, 'role' | 'path'>) => noDestructiveScript.detect.script!({ path: 'x', role: 'application', ...input }, []);

/** One command line per pattern `findDestructiveCommands` knows, with the command it must report. */
const DESTRUCTIVE: [string, string][] = [
  ['npx prisma migrate reset --force', 'prisma migrate reset --force'],
  ['DATABASE_URL=x yarn prisma db push --accept-data-loss', 'prisma db push --accept-data-loss'],
  ['pnpm dlx drizzle-kit push --force', 'drizzle-kit push --force'],
  ['npx typeorm-ts-node-commonjs schema:drop -d src/data-source.ts', 'typeorm-ts-node-commonjs schema:drop -d src/data-source.ts'],
  ['ts-node ./node_modules/typeorm/cli.js schema:sync', 'ts-node ./node_modules/typeorm/cli.js schema:sync'],
  ['node server.js; sequelize db:drop', 'sequelize db:drop'],
  ['npx sequelize-cli db:migrate:undo:all', 'sequelize-cli db:migrate:undo:all'],
  ['cross-env NODE_ENV=production knex migrate:rollback --all', 'knex migrate:rollback --all'],
  ['dropdb --if-exists app', 'dropdb --if-exists app'],
  ['rm -f ./data/kanban.db && node server.js', 'rm -f ./data/kanban.db'],
  ['python manage.py flush --noinput', 'python manage.py flush --noinput'],
  ['django-admin migrate shop zero', 'django-admin migrate shop zero'],
  ['alembic downgrade base', 'alembic downgrade base'],
  ['flask --app kanban db downgrade base', 'flask --app kanban db downgrade base'],
  ["sh -c 'prisma migrate reset --force'", 'prisma migrate reset --force'],
];

describe('findDestructiveCommands', () => {
  it.each(DESTRUCTIVE)('finds %j', (line, command) => {
    expect(findDestructiveCommands(line).map((c) => line.slice(c.start, c.end))).toEqual([command]);
  });

  it.each(DESTRUCTIVE)('the text gate lets %j through', (line) => {
    expect(mayHoldDestructiveCommand(line)).toBe(true);
  });

  it.each(['const spawned = spawn("node", [path]); list.push(x)', 'regExp.exec(text); form.reset()'])('the text gate stops %j', (text) => {
    expect(mayHoldDestructiveCommand(text)).toBe(false);
  });

  it.each([
    'npx prisma migrate deploy',
    'prisma db push',
    'knex migrate:rollback',
    'echo "prisma migrate reset"',
    'rm -rf node_modules dist',
    'alembic downgrade -1',
    'npx typeorm migration:run -d dist/data-source.js',
  ])('ignores %j', (line) => {
    expect(findDestructiveCommands(line)).toEqual([]);
  });
});

describe('package.json phases', () => {
  it.each([
    ['start', 'start'], ['prestart', 'start'], ['start:prod', 'start'], ['postinstall', 'install'], ['deploy', 'deploy'],
    ['release', 'deploy'], ['db:deploy', 'deploy'], ['dev', 'dev'], ['db:reset', 'dev'], ['test:e2e', 'test'], ['build', 'build'], ['lint', 'dev'], ['typecheck', 'unknown'],
  ])('%s runs in phase %s', (name, phase) => expect(phaseOfScript(name)).toBe(phase));

  it('a script called from start inherits the start phase, with the chain named', () => {
    const text = JSON.stringify({ scripts: { start: 'npm run db:setup && node .', 'db:setup': 'prisma migrate reset --force' } }, null, 2);
    const setup = readPackageJson(text, 'package.json').commands.find((c) => c.text.startsWith('prisma'))!;
    expect(setup.phase).toBe('start');
    expect(setup.via).toContain('"start" script → npm run db:setup');
    expect(text.slice(setup.range[0], setup.range[1])).toBe('prisma migrate reset --force');
  });

  it('dev scripts do not pass a dangerous phase on', () => {
    const text = JSON.stringify({ scripts: { dev: 'npm run db:reset && vite', 'db:reset': 'prisma migrate reset --force' } });
    expect(detect({ kind: 'package-json', text, commands: readPackageJson(text, 'package.json').commands })).toEqual([]);
  });
});

describe('detector', () => {
  it('reports a reset in an entrypoint outside a test guard, at the command', () => {
    const text = '#!/bin/sh\nif [ "$NODE_ENV" = "test" ]; then\n  npx prisma migrate reset --force\nfi\nnpx prisma migrate reset --force\n';
    const findings = detect({ kind: 'shell', text, commands: extractShellCommands(text, 'start', 'docker-entrypoint.sh') });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ messageId: 'destructiveOnStart', severity: 'error' });
    expect(text.slice(findings[0]!.range[0], findings[0]!.range[1])).toBe('prisma migrate reset --force');
    expect(text.slice(0, findings[0]!.range[0]).split('\n').length).toBe(5);
  });

  it('a one-line test guard silences the command', () => {
    const text = '[ "$NODE_ENV" = "test" ] && npx prisma migrate reset --force\n';
    expect(detect({ kind: 'shell', text, commands: extractShellCommands(text, 'start', 'x') })).toEqual([]);
  });

  it('Dockerfile RUN warns, CMD errors, exec form is joined', () => {
    const text = 'FROM node:20\nRUN rm -f app.db\nCMD ["npx", "prisma", "migrate", "reset", "--force"]\n';
    const findings = detect({ kind: 'dockerfile', text, commands: extractDockerfileCommands(text) });
    expect(findings.map((f) => [f.messageId, f.severity])).toEqual([
      ['destructiveAtBuild', 'warning'],
      ['destructiveOnStart', 'error'],
    ]);
  });

  it('heredoc bodies and comments are not commands', () => {
    const text = '#!/bin/sh\n# npx prisma migrate reset\ncat <<EOF\nnpx prisma migrate reset --force\nEOF\nnode server.js\n';
    expect(detect({ kind: 'shell', text, commands: extractShellCommands(text, 'start', 'x') })).toEqual([]);
  });
});
