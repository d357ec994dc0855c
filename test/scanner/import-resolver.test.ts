import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createImportResolver, joinRelative } from '../../src/scanner/project.js';

describe('joinRelative', () => {
  const froms = ['x.ts', 'a/x.ts', 'a/b/x.ts', 'a/b/c/x.ts', '/abs/x.ts', 'a/.hidden/x.ts'];
  const specifiers = ['./y', '../y', '../../y', '../../../y', '../../../../y', './a/b', './../y', '.././y', './y/', './a//b', './a/./b', './a/../b', '.', '..', './', '../', './.env', '../..', './y.js', '..foo/y', './...'];
  it.each(froms.flatMap((from) => specifiers.map((specifier) => [from, specifier] as const)))('%s imports %s as posix.join would', (from, specifier) => {
    expect(joinRelative(from, specifier)).toBe(posix.normalize(posix.join(posix.dirname(from), specifier)));
  });
});

describe('createImportResolver', () => {
  const resolve = createImportResolver(new Set(['src/db.ts', 'src/lib/index.ts', 'src/lib/util.js', 'app/models.py', 'app/__init__.py']));

  it('finds the TypeScript file an ESM `.js` import names, and a folder by its index', () => {
    expect(resolve('src/lib/util.js', '../db.js')).toBe('src/db.ts');
    expect(resolve('src/main.ts', './lib')).toBe('src/lib/index.ts');
    expect(resolve('src/main.ts', './lib/util')).toBe('src/lib/util.js');
  });

  it('gives the same answer when asked again, and nothing for a package or a missing file', () => {
    expect(resolve('src/main.ts', './db')).toBe('src/db.ts');
    expect(resolve('src/main.ts', './db')).toBe('src/db.ts');
    expect(resolve('src/main.ts', 'pg')).toBeUndefined();
    expect(resolve('src/main.ts', './missing')).toBeUndefined();
    expect(resolve('src/main.ts', './missing')).toBeUndefined();
  });

  it('resolves Python modules, absolute and relative', () => {
    expect(resolve('app/main.py', 'app.models')).toBe('app/models.py');
    expect(resolve('app/main.py', '.models')).toBe('app/models.py');
    expect(resolve('app/main.py', 'app.missing')).toBeUndefined();
  });
});
