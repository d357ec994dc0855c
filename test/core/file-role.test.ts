import fg from 'fast-glob';
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { createRoleMatcher, DEFAULT_ROLE_GLOBS, withoutDotSegmentGuards } from '../../src/core/file-role.js';

describe('createRoleMatcher', () => {
  const roleOf = createRoleMatcher();

  it.each([
    ['src/db.ts', 'application'],
    ['src/db.test.ts', 'test'],
    ['packages/api/test/helpers/db.ts', 'test'],
    ['packages/api/vitest.config.ts', 'testConfig'],
    ['.env.test', 'testConfig'],
    ['src/migrations/001_init.ts', 'migration'],
    ['test/migrations/001_init.ts', 'test'],
    ['db/seeds/users.ts', 'seed'],
    ['src\\win\\db.spec.ts', 'test'],
    // Test utilities, fixtures and development servers seen in real repositories (ecosystem corpus).
    ['packages/medusa-test-utils/src/database.ts', 'test'],
    ['apps/dokploy/__test__/env/stack.ts', 'test'],
    ['packages/cli/src/codemods/fixtures/no-app-prop.fixture.ts', 'test'],
    // A fixtures/ folder may hold the examples a project ships: only fixture files are test code.
    ['examples/fixtures/app/main.py', 'application'],
    ['packages/server/fixture_persons.js', 'test'],
    ['src/test-setup.ts', 'testConfig'],
    ['packages/dev-server/dev-config.ts', 'testConfig'],
    // Look-alikes that stay application code.
    ['src/fixture-loader.ts', 'application'],
    ['src/integrations/setup.ts', 'application'],
    ['src/devices/config.ts', 'application'],
  ])('%s is %s', (path, role) => expect(roleOf(path)).toBe(role));

  // picomatch keeps `**` from crossing a `.`/`..` segment; such paths take the guarded expression.
  it.each([
    ['../test/db.ts', 'application'],
    ['a/../test/db.ts', 'application'],
    ['./test/db.ts', 'test'],
  ])('%s (a path with a dot segment) is %s, as picomatch says', (path, role) => expect(roleOf(path)).toBe(role));
});

describe('withoutDotSegmentGuards', () => {
  const sources = Object.values(DEFAULT_ROLE_GLOBS).flat().map((glob) => picomatch.makeRe(glob, { dot: true, nocase: true }).source);

  it("finds picomatch's guard in the `**` globs (else every role test is the slow one)", () => {
    expect(sources.filter((source) => withoutDotSegmentGuards(source) !== source)).toHaveLength(sources.length);
  });

  it("answers as picomatch's expression on every path of this repository", async () => {
    const paths = await fg('**/*', { cwd: new URL('../..', import.meta.url).pathname, dot: true, ignore: ['node_modules/**', '.git/**'] });
    const extra = ['fixtures/repos/x/test/setup.ts', 'a/tests.py', 'a/__tests__/b.js', 'a/knex_migrations/1.js', 'a/b.seed.ts'];
    for (const source of sources) {
      const guarded = new RegExp(source, 'i');
      const fast = new RegExp(withoutDotSegmentGuards(source), 'i');
      for (const path of [...paths, ...extra]) expect(fast.test(path), `${source} on ${path}`).toBe(guarded.test(path));
    }
  });
});
