import { describe, expect, it } from 'vitest';
import { classifyEnvName, codeNameKind, hasUnresolvedVariable, parseEnvAssignment } from './env-name.js';

describe('classifyEnvName', () => {
  it.each([
    ['DATABASE_URL', 'location', true],
    ['TEST_DB_PATH', 'location', true],
    ['SQLITE_FILE', 'location', true],
    ['MONGO_URI', 'location', true],
    ['DB_FILE_NAME', 'location', true],
    ['DATABASE_URL_UNPOOLED', 'location', true],
    ['POSTGRES_URL_NO_SSL', 'location', true],
    ['STORE_PATH', 'location', false],
    ['DATABASE', 'database', true],
    ['SQLITE_DB_TEST', 'database', true],
    ['MYSQL_DATABASE', 'database', true],
    ['POSTGRES_DB', 'database', true],
    ['MONGO_INITDB_ROOT_USERNAME', 'never', true],
    ['MONGO_INITDB_ROOT_PASSWORD', 'never', true],
    ['POSTGRES_PASSWORD_FILE', 'never', true],
    ['MYSQL_USER', 'never', true],
    ['DB_HOST', 'never', true],
    ['DB_PORT', 'never', true],
    ['DB_NAME', 'never', true],
    ['DB_CONNECTION', 'never', true],
    ['DB_MIGRATIONS_PATH', 'other', true],
    ['DB_SSL_CA_FILE', 'other', true],
    ['MONGO_INITDB_DATABASE', 'other', true],
    ['DB_POOL_SIZE', 'other', true],
    ['REDIS_URL', 'location', false],
  ])('%s is %s', (name, role, dbNamed) => {
    expect(classifyEnvName(name)).toEqual({ role, dbNamed });
  });
});

describe('hasUnresolvedVariable', () => {
  it('sees ${VAR} and $VAR, not $$ or a `$` in a URL password', () => {
    expect(hasUnresolvedVariable('${DOCSTORE_ADMIN_USERNAME}')).toBe(true);
    expect(hasUnresolvedVariable('postgres://$DB_HOST:5432/app')).toBe(true);
    expect(hasUnresolvedVariable('./data/${ENV}.db')).toBe(true);
    expect(hasUnresolvedVariable('./data/$$literal.db')).toBe(false);
    expect(hasUnresolvedVariable('postgres://app:pa$word@db.internal/app')).toBe(false);
  });
});

describe('parseEnvAssignment', () => {
  it('reads a bare value as a file only under a name that names a file', () => {
    expect(parseEnvAssignment('DB_PATH', './data/ledger')).toEqual({ kind: 'file', path: 'data/ledger' });
    expect(parseEnvAssignment('SQLITE_FILE', 'ledger')).toEqual({ kind: 'file', path: 'ledger' });
    expect(parseEnvAssignment('DATABASE', './data/ledger')).toEqual({ kind: 'file', path: 'data/ledger' });
    expect(parseEnvAssignment('DATABASE', 'ledger.db')).toEqual({ kind: 'file', path: 'ledger.db' });
    expect(parseEnvAssignment('STORE_PATH', './data/store.sqlite')).toEqual({ kind: 'file', path: 'data/store.sqlite' });
    expect(parseEnvAssignment('DATABASE_URL', 'postgres://u:p@db.internal/app')).toEqual({ kind: 'server', engine: 'postgres', host: 'db.internal', port: '5432', database: 'app' });
  });

  it('never reads credentials, names, server database names or unresolved values as a location', () => {
    expect(parseEnvAssignment('MONGO_INITDB_ROOT_USERNAME', '${DOCSTORE_ADMIN_USERNAME}')).toBeUndefined();
    expect(parseEnvAssignment('MYSQL_PASSWORD', 'ledger')).toBeUndefined();
    expect(parseEnvAssignment('DB_USER', './data/app.db')).toBeUndefined();
    expect(parseEnvAssignment('DB_NAME', 'ledger')).toBeUndefined();
    expect(parseEnvAssignment('MYSQL_DATABASE', 'ledger')).toBeUndefined();
    expect(parseEnvAssignment('DB_MIGRATIONS_PATH', './migrations')).toBeUndefined();
    expect(parseEnvAssignment('STORE_PATH', './data/store')).toBeUndefined();
    expect(parseEnvAssignment('APP_BACKUP', './data/app.db')).toBeUndefined();
    expect(parseEnvAssignment('DATABASE_URL', '${DATABASE_URL}')).toBeUndefined();
    expect(parseEnvAssignment('DATABASE_URL', 'postgres://$DB_HOST:5432/app')).toBeUndefined();
    expect(parseEnvAssignment('SENTRY_DSN', 'https://key@sentry.io/1')).toBeUndefined();
  });
});

describe('codeNameKind', () => {
  it.each([
    ['dbPath', 'file'],
    ['sqlite_file', 'file'],
    ['databaseFileName', 'file'],
    ['DbLocation', 'file'],
    ['databaseUrl', 'url'],
    ['db_dsn', 'url'],
    ['db', 'bare'],
    ['testDb', 'bare'],
    ['test_database', 'bare'],
    ['normalizedB', undefined],
    ['mongodb', undefined],
    ['dbUser', undefined],
    ['templatePath', undefined],
  ])('%s is %s', (name, kind) => {
    expect(codeNameKind(name)).toBe(kind);
  });
});
