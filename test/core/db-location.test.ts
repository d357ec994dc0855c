import { describe, expect, it } from 'vitest';
import {
  createDatabaseMatcher,
  formatDatabaseLocation,
  isInMemoryDatabase,
  normalizeDatabasePath,
  parseDatabaseLocation,
  sameDatabase,
  suggestTestDatabase,
} from '../../src/core/db-location.js';
import { SQL_HOLE } from '../../src/core/sql/lexer.js';

describe('parseDatabaseLocation: SQLite', () => {
  it('reads SQLAlchemy URLs: three slashes are relative, four absolute', () => {
    expect(parseDatabaseLocation('sqlite:///./kanban.db')).toEqual({ kind: 'file', path: 'kanban.db' });
    expect(parseDatabaseLocation('sqlite:///kanban.db')).toEqual({ kind: 'file', path: 'kanban.db' });
    expect(parseDatabaseLocation('sqlite:////var/lib/app/kanban.db')).toEqual({ kind: 'file', path: '/var/lib/app/kanban.db' });
    expect(parseDatabaseLocation('sqlite+aiosqlite:///kanban.db')).toEqual({ kind: 'file', path: 'kanban.db' });
    expect(parseDatabaseLocation('sqlite+pysqlite:///data/app.sqlite3?check_same_thread=false')).toEqual({ kind: 'file', path: 'data/app.sqlite3' });
  });

  it('reads Sequelize and TypeORM spellings', () => {
    expect(parseDatabaseLocation('sqlite:kanban.db')).toEqual({ kind: 'file', path: 'kanban.db' });
    expect(parseDatabaseLocation('sqlite://./data/kanban.db')).toEqual({ kind: 'file', path: 'data/kanban.db' });
    expect(parseDatabaseLocation('jdbc:sqlite:kanban.db')).toEqual({ kind: 'file', path: 'kanban.db' });
  });

  it('reads file: URLs (Prisma, libSQL) only for database files unless the position is known', () => {
    expect(parseDatabaseLocation('file:./dev.db')).toEqual({ kind: 'file', path: 'dev.db' });
    expect(parseDatabaseLocation('file:dev.db')).toEqual({ kind: 'file', path: 'dev.db' });
    expect(parseDatabaseLocation('file:///srv/app/dev.db')).toEqual({ kind: 'file', path: '/srv/app/dev.db' });
    expect(parseDatabaseLocation('file://localhost/srv/app/dev.db')).toEqual({ kind: 'file', path: '/srv/app/dev.db' });
    expect(parseDatabaseLocation('file:///srv/app/main.js')).toBeUndefined();
    expect(parseDatabaseLocation('file:./prisma/dev', { lenient: true })).toEqual({ kind: 'file', path: 'prisma/dev' });
    expect(parseDatabaseLocation('file://fileserver/share/dev.db')).toBeUndefined();
  });

  it('reads plain paths with a database extension, normalised', () => {
    expect(parseDatabaseLocation('kanban.db')).toEqual({ kind: 'file', path: 'kanban.db' });
    expect(parseDatabaseLocation('./kanban.db')).toEqual({ kind: 'file', path: 'kanban.db' });
    expect(parseDatabaseLocation('./data/../kanban.sqlite')).toEqual({ kind: 'file', path: 'kanban.sqlite' });
    expect(parseDatabaseLocation('..\\shared\\app.sqlite3')).toEqual({ kind: 'file', path: '../shared/app.sqlite3' });
    expect(parseDatabaseLocation('C:\\data\\Kanban.db')).toEqual({ kind: 'file', path: 'c:/data/Kanban.db' });
    expect(parseDatabaseLocation('/var/lib/app/kanban.db')).toEqual({ kind: 'file', path: '/var/lib/app/kanban.db' });
  });

  it('needs a database extension for a bare path unless lenient', () => {
    expect(parseDatabaseLocation('./data/kanban')).toBeUndefined();
    expect(parseDatabaseLocation('./data/kanban', { lenient: true })).toEqual({ kind: 'file', path: 'data/kanban' });
    expect(parseDatabaseLocation('config.json')).toBeUndefined();
    expect(parseDatabaseLocation('src/db.ts')).toBeUndefined();
  });

  it('is not a location: in-memory databases, prose, unknown parts', () => {
    for (const text of [':memory:', 'sqlite::memory:', 'sqlite:///:memory:', 'sqlite://', 'sqlite+aiosqlite://', 'file::memory:?cache=shared', 'file:memdb1?mode=memory&cache=shared', '']) {
      expect(parseDatabaseLocation(text), text).toBeUndefined();
      expect(parseDatabaseLocation(text, { lenient: true }), text).toBeUndefined();
    }
    expect(parseDatabaseLocation('connected to kanban.db')).toBeUndefined();
    expect(parseDatabaseLocation(`${SQL_HOLE}/kanban.db`)).toBeUndefined();
    expect(parseDatabaseLocation('https://example.com/kanban.db')).toBeUndefined();
    expect(parseDatabaseLocation('redis://localhost:6379/0')).toBeUndefined();
  });
});

describe('parseDatabaseLocation: servers', () => {
  it('drops credentials and query, applies the default port, unifies localhost', () => {
    expect(parseDatabaseLocation('postgres://u:p@localhost:5432/app?sslmode=require')).toEqual({ kind: 'server', engine: 'postgres', host: 'localhost', port: '5432', database: 'app' });
    expect(parseDatabaseLocation('postgresql://127.0.0.1/app')).toEqual({ kind: 'server', engine: 'postgres', host: 'localhost', port: '5432', database: 'app' });
    expect(parseDatabaseLocation('postgresql+asyncpg://app@DB.Internal:6543/app')).toEqual({ kind: 'server', engine: 'postgres', host: 'db.internal', port: '6543', database: 'app' });
    expect(parseDatabaseLocation('mysql://root@[::1]/shop')).toEqual({ kind: 'server', engine: 'mysql', host: 'localhost', port: '3306', database: 'shop' });
    expect(parseDatabaseLocation('mariadb://db/shop')).toEqual({ kind: 'server', engine: 'mysql', host: 'db', port: '3306', database: 'shop' });
    expect(parseDatabaseLocation('jdbc:postgresql://db:5432/app')).toEqual({ kind: 'server', engine: 'postgres', host: 'db', port: '5432', database: 'app' });
  });

  it('reads MongoDB URLs, with several hosts and SRV records', () => {
    expect(parseDatabaseLocation('mongodb://localhost/app')).toEqual({ kind: 'server', engine: 'mongodb', host: 'localhost', port: '27017', database: 'app' });
    expect(parseDatabaseLocation('mongodb://u:p@b:27018,a/app?replicaSet=rs0')).toEqual({ kind: 'server', engine: 'mongodb', host: 'a:27017,b:27018', database: 'app' });
    expect(parseDatabaseLocation('mongodb+srv://u:p@cluster0.example.net/app')).toEqual({ kind: 'server', engine: 'mongodb', host: 'cluster0.example.net', database: 'app' });
    expect(parseDatabaseLocation('mongodb://localhost')).toEqual({ kind: 'server', engine: 'mongodb', host: 'localhost', port: '27017' });
  });

  it('keeps a location whose unknown part is only the credentials', () => {
    expect(parseDatabaseLocation(`postgres://${SQL_HOLE}:${SQL_HOLE}@db.internal/app`)).toEqual({ kind: 'server', engine: 'postgres', host: 'db.internal', port: '5432', database: 'app' });
    expect(parseDatabaseLocation(`postgres://${SQL_HOLE}/app`)).toBeUndefined();
    expect(parseDatabaseLocation(`postgres://db/${SQL_HOLE}`)).toBeUndefined();
  });
});

describe('sameDatabase', () => {
  it('treats every spelling of one SQLite file as the same file', () => {
    expect(sameDatabase('sqlite:///./kanban.db', './kanban.db')).toBe(true);
    expect(sameDatabase('./kanban.db', 'kanban.db')).toBe(true);
    expect(sameDatabase('sqlite:kanban.db', 'file:./kanban.db')).toBe(true);
    expect(sameDatabase('data/../kanban.db', 'sqlite+aiosqlite:///kanban.db')).toBe(true);
  });

  it('tells apart similar file names and directories', () => {
    expect(sameDatabase('sqlite:///./test_kanban.db', 'sqlite:///./kanban.db')).toBe(false);
    expect(sameDatabase('kanban.db', 'kanban.db-journal')).toBe(false);
    expect(sameDatabase('data/kanban.db', 'kanban.db')).toBe(false);
    // Relative to an unknown working directory: not provably the same file.
    expect(sameDatabase('/srv/app/kanban.db', 'kanban.db')).toBe(false);
  });

  it('compares server databases by engine, host, port and name', () => {
    expect(sameDatabase('postgres://u:p@localhost:5432/app', 'postgres://localhost/app')).toBe(true);
    expect(sameDatabase('postgresql://localhost/app', 'postgres://127.0.0.1:5432/app')).toBe(true);
    expect(sameDatabase('postgres://localhost/app', 'postgres://localhost/app_test')).toBe(false);
    expect(sameDatabase('postgres://localhost:5433/app', 'postgres://localhost/app')).toBe(false);
    expect(sameDatabase('postgres://db.internal/app', 'postgres://localhost/app')).toBe(false);
    expect(sameDatabase('mysql://localhost/app', 'postgres://localhost/app')).toBe(false);
  });

  it('never matches an in-memory database or a file against a server', () => {
    expect(sameDatabase(':memory:', ':memory:')).toBe(false);
    expect(sameDatabase('sqlite:///:memory:', 'sqlite://')).toBe(false);
    expect(sameDatabase('app', 'postgres://localhost/app')).toBe(false);
  });

  it('accepts parsed locations', () => {
    const parsed = parseDatabaseLocation('sqlite:///./kanban.db')!;
    expect(sameDatabase(parsed, 'kanban.db')).toBe(true);
  });
});

describe('createDatabaseMatcher', () => {
  const match = createDatabaseMatcher(['./kanban.db', 'postgres://db.internal:5432/app', 'data/**/*.sqlite', 'mysql://*.prod.example.com/shop', 'mongodb://cluster.internal']);
  const at = (text: string) => match(parseDatabaseLocation(text)!);

  it('matches normalised paths and URLs, and returns the configured pattern', () => {
    expect(at('sqlite:///./kanban.db')).toBe('./kanban.db');
    expect(at('kanban.db')).toBe('./kanban.db');
    expect(at('postgres://admin:secret@db.internal/app')).toBe('postgres://db.internal:5432/app');
    expect(at('postgresql+psycopg://db.internal:5432/app?sslmode=require')).toBe('postgres://db.internal:5432/app');
  });

  it('matches globs on paths, hosts and databases', () => {
    expect(at('./data/2024/cards.sqlite')).toBe('data/**/*.sqlite');
    expect(at('mysql://eu1.prod.example.com/shop')).toBe('mysql://*.prod.example.com/shop');
    expect(at('mongodb://cluster.internal/anything')).toBe('mongodb://cluster.internal');
  });

  it('does not match look-alikes', () => {
    expect(at('test_kanban.db')).toBeUndefined();
    expect(at('postgres://db.internal:5432/app_test')).toBeUndefined();
    expect(at('postgres://localhost:5432/app')).toBeUndefined();
    expect(at('data/cards.db')).toBeUndefined();
    expect(at('mysql://eu1.staging.example.com/shop')).toBeUndefined();
    expect(at('mongodb://localhost/anything')).toBeUndefined();
  });

  it('ignores patterns that name no database', () => {
    expect(createDatabaseMatcher([':memory:', 'https://example.com'])(parseDatabaseLocation('kanban.db')!)).toBeUndefined();
  });
});

describe('helpers', () => {
  it('formats without credentials', () => {
    expect(formatDatabaseLocation(parseDatabaseLocation('postgres://u:secret@localhost/app')!)).toBe('postgres://localhost:5432/app');
    expect(formatDatabaseLocation(parseDatabaseLocation('sqlite:///./data/kanban.db')!)).toBe('data/kanban.db');
  });

  it('suggests a test database next to the production one', () => {
    expect(suggestTestDatabase(parseDatabaseLocation('./kanban.db')!)).toBe('test_kanban.db');
    expect(suggestTestDatabase(parseDatabaseLocation('/srv/data/kanban.db')!)).toBe('/srv/data/test_kanban.db');
    expect(suggestTestDatabase(parseDatabaseLocation('postgres://db.internal/app')!)).toBe('postgres://db.internal:5432/app_test');
  });

  it('normalises paths', () => {
    expect(normalizeDatabasePath('./a/./b/../c.db')).toBe('a/c.db');
    expect(normalizeDatabasePath('../../x.db')).toBe('../../x.db');
    expect(normalizeDatabasePath('/../x.db')).toBe('/x.db');
  });

  it('recognises in-memory databases', () => {
    for (const text of [':memory:', 'sqlite::memory:', 'sqlite:///:memory:', 'sqlite://', 'file::memory:?cache=shared', 'file:memdb1?mode=memory']) {
      expect(isInMemoryDatabase(text), text).toBe(true);
    }
    for (const text of ['kanban.db', 'sqlite:///./kanban.db', 'file:./dev.db', 'postgres://localhost/app', 'memory.db']) {
      expect(isInMemoryDatabase(text), text).toBe(false);
    }
  });
});
