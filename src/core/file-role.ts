import picomatch from 'picomatch';
import type { FileRole, RoleGlobs } from './types.js';

export const DEFAULT_ROLE_GLOBS: RoleGlobs = {
  testFiles: [
    '**/*.{test,spec,e2e-spec,e2e}.{js,jsx,ts,tsx,mjs,cjs,mts,cts}',
    '**/{__tests__,__test__,__mocks__,test,tests,e2e,spec,specs,__fixtures__,testing,test-utils,test-helpers}/**',
    // A package of test utilities (`medusa-test-utils/`), a fixture file (`*.fixture.ts`, `fixture_persons.js`).
    '**/*-test-utils/**',
    '**/*.fixture.*',
    '**/fixture_*.{js,ts,py}',
    '**/test_*.py',
    '**/*_test.py',
    '**/tests.py',
  ],
  testConfigFiles: [
    '**/{jest,vitest,vite,playwright,cypress,ava,mocha,karma}.config.*',
    '**/jest.setup.*',
    '**/*.setup.*',
    '**/setupTests.*',
    '**/test/setup*',
    '**/test-setup.*',
    '**/testSetup.*',
    // Development servers and configs: what a contributor runs locally, never deployed.
    '**/dev-server/**',
    '**/dev-config.*',
    '**/tests/setup*',
    '**/.env.test',
    '**/.env.test.*',
    '**/.env.testing',
    '**/conftest.py',
    '**/pytest.ini',
    '**/tox.ini',
    '**/settings_test.py',
    '**/test_settings.py',
  ],
  migrationFiles: [
    // `migrations/`, `knex_migrations/`, `old_migrations/`, `migration/`.
    '**/*migrations/**',
    '**/*migration/**',
    '**/*.migration.*',
    '**/prisma/migrations/**',
    '**/db/migrate/**',
    '**/alembic/versions/**',
  ],
  seedFiles: ['**/seeds/**', '**/seeders/**', '**/seed/**', '**/seed.*', '**/seeds.*', '**/*.seed.*'],
};

export interface RoleMatcher {
  (path: string): FileRole;
  /** Takes the role another thread matched for `path` with the same globs, so it is not matched again. */
  remember(path: string, role: FileRole): void;
}

/** What picomatch's `**` matches one character at a time, so that it never crosses a `.` or `..` segment. */
const DOT_SEGMENT_GUARD = String.raw`(?:(?:(?!(?:^|\/)\.{1,2}(?:\/|$)).)*?)`;
const DOT_SEGMENT = /(?:^|\/)\.{1,2}(?:\/|$)/;

/**
 * A path with no `.` or `..` segment (every path the audit lists) never meets the guard, and there
 * `**` is `.*?`: the same answer at half the cost of testing the guard before each character. A
 * picomatch that writes `**` differently is left as it is.
 */
export function withoutDotSegmentGuards(source: string): string {
  return source.split(DOT_SEGMENT_GUARD).join('.*?');
}

const matcherCache = new Map<string, RoleMatcher>();

/**
 * Roles are checked most specific first: a `.env.test` is test config even though it is not a test
 * file, and a migration under `test/` is still test code (it only ever runs against a test database).
 */
export function createRoleMatcher(extra: Partial<RoleGlobs> = {}): RoleMatcher {
  const key = JSON.stringify(extra);
  const cached = matcherCache.get(key);
  if (cached) return cached;
  // One regular expression per role: a glob list tested one glob at a time cost 35 tests per path.
  const compile = (name: keyof RoleGlobs) => {
    const source = [...DEFAULT_ROLE_GLOBS[name], ...(extra[name] ?? [])].map((glob) => `(?:${picomatch.makeRe(glob, { dot: true, nocase: true }).source})`).join('|');
    const re = new RegExp(source, 'i');
    const regular = new RegExp(withoutDotSegmentGuards(source), 'i');
    return (path: string) => (DOT_SEGMENT.test(path) ? re : regular).test(path);
  };
  const isTestConfig = compile('testConfigFiles');
  const isTest = compile('testFiles');
  const isMigration = compile('migrationFiles');
  const isSeed = compile('seedFiles');
  // The audit asks for a file's role at each stage; globs are matched once per path.
  const known = new Map<string, FileRole>();
  const remember = (path: string, role: FileRole) => {
    // An editor's ESLint server lives for days: the memo is a cache, not a record of every path.
    if (known.size >= 50_000) known.clear();
    known.set(path, role);
  };
  const matcher: RoleMatcher = Object.assign(
    (path: string): FileRole => {
      let role = known.get(path);
      if (role === undefined) {
        const p = path.replace(/\\/g, '/').replace(/^\.\//, '');
        role = isTestConfig(p) ? 'testConfig' : isTest(p) ? 'test' : isMigration(p) ? 'migration' : isSeed(p) ? 'seed' : 'application';
        remember(path, role);
      }
      return role;
    },
    { remember },
  );
  matcherCache.set(key, matcher);
  return matcher;
}

export function isTestRole(role: FileRole): boolean {
  return role === 'test' || role === 'testConfig';
}

/**
 * `mayReportIn` for rules that protect data tests do not hold: a test file or test config drops,
 * syncs and seeds a disposable database, so nothing there is reported (and nothing is parsed for it).
 */
export function outsideTestFiles(role: FileRole): boolean {
  return !isTestRole(role);
}
