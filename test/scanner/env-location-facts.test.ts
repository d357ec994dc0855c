import { describe, expect, it } from 'vitest';
import { envLocationFacts } from '../../src/scanner/facts.js';
import { parseEnvFile } from '../../src/scanner/inputs/env-file.js';
import { extractComposeFile } from '../../src/scanner/inputs/yaml-commands.js';

/** The `.env` lines that give a location, as `line shown`. */
function envLocations(text: string, inTest = false): string[] {
  return (envLocationFacts(parseEnvFile(text), text, inTest).locations ?? []).map((l) => `${l.line} ${l.shown}`);
}

describe('envLocationFacts', () => {
  it('skips credentials, host/port/name settings and server database names (F1)', () => {
    const env = [
      'MONGO_INITDB_ROOT_USERNAME=${DOCSTORE_ADMIN_USERNAME}',
      'MONGO_INITDB_ROOT_PASSWORD=${DOCSTORE_ADMIN_PASSWORD}',
      'DB_USER=ledger',
      'DB_PASSWORD=ledger',
      'POSTGRES_PASSWORD_FILE=/run/secrets/db_password',
      'DB_HOST=localhost',
      'DB_PORT=5432',
      'DB_NAME=ledger',
      'POSTGRES_DB=ledger',
      'MYSQL_DATABASE=ledger',
      'DB_MIGRATIONS_PATH=./migrations',
      'DATABASE_URL=${DATABASE_URL}',
      'DATABASE_URL=postgres://$DB_HOST:5432/app',
      '',
    ].join('\n');
    expect(envLocations(env)).toEqual([]);
  });

  it('keeps every way an env file names the database', () => {
    const env = [
      'DATABASE_URL=sqlite:///./kanban.db',
      'DB_PATH=./data/ledger',
      'SQLITE_FILE=ledger',
      'DB_FILE_NAME=ledger',
      'DATABASE=./data/app',
      'DATABASE=app.db',
      'DATABASE_URL_UNPOOLED=postgres://u:pa$$w@db.internal/app',
      'STORE_PATH=./data/store.sqlite',
      '',
    ].join('\n');
    expect(envLocations(env)).toEqual([
      '1 sqlite:///./kanban.db',
      '2 ./data/ledger',
      '3 ledger',
      '4 ledger',
      '5 ./data/app',
      '6 app.db',
      '7 postgres://db.internal:5432/app',
      '8 ./data/store.sqlite',
    ]);
  });

  it('reads compose credentials of a database container as nothing, and marks env locations as opened', () => {
    const compose = [
      'services:',
      '  docstore:',
      '    image: mongo:8',
      '    environment:',
      '      MONGO_INITDB_ROOT_USERNAME: ${DOCSTORE_ADMIN_USERNAME}',
      '  api:',
      '    environment:',
      '      - DATABASE_PATH=./data/kanban',
      '',
    ].join('\n');
    const facts = envLocationFacts(extractComposeFile(compose, 'docker-compose.test.yaml').env, compose, true);
    expect(facts.locations?.map((l) => [l.line, l.shown, l.inTest, l.opens])).toEqual([[8, './data/kanban', true, true]]);
    expect(facts.setsEnv).toEqual(['MONGO_INITDB_ROOT_USERNAME', 'DATABASE_PATH']);
  });
});
