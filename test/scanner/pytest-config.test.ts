import { describe, expect, it } from 'vitest';
import { parsePytestEnv } from '../../src/scanner/inputs/pytest-config.js';

/** Entries as `NAME=value`, each checked against the text its range points at. */
function read(text: string, file: string): string[] {
  return parsePytestEnv(text, file).map((e) => {
    expect(text.slice(e.range[0], e.range[1])).toBe(e.value);
    return `${e.name}=${e.value}`;
  });
}

describe('parsePytestEnv', () => {
  it('reads pytest.ini and tox.ini [pytest] env lines with D: and R: flags', () => {
    const ini = ['[pytest]', 'addopts = -q', 'env =', '    DATABASE_URL=sqlite:///./test_kanban.db', '    # a comment', '    D:TESTING = 1', '    R:D:PATH_TEMPLATE={HOME}/x', '', '[other]', 'env =', '    IGNORED=1', ''].join('\n');
    expect(read(ini, 'pytest.ini')).toEqual(['DATABASE_URL=sqlite:///./test_kanban.db', 'TESTING=1', 'PATH_TEMPLATE={HOME}/x']);
    expect(read(ini, 'tox.ini')).toEqual(['DATABASE_URL=sqlite:///./test_kanban.db', 'TESTING=1', 'PATH_TEMPLATE={HOME}/x']);
    expect(read(ini.replace('[pytest]', '[tool:pytest]'), 'setup.cfg')).toEqual(['DATABASE_URL=sqlite:///./test_kanban.db', 'TESTING=1', 'PATH_TEMPLATE={HOME}/x']);
    expect(read(ini, 'setup.cfg')).toEqual([]);
  });

  it('reads a value on the env line itself and CRLF files', () => {
    expect(read('[pytest]\r\nenv = DATABASE_URL=./kanban.db\r\n', 'pytest.ini')).toEqual(['DATABASE_URL=./kanban.db']);
  });

  it('reads pyproject.toml [tool.pytest.ini_options] env arrays and the [tool.pytest_env] table', () => {
    const toml = [
      '[project]',
      'name = "kanban"',
      '',
      '[tool.pytest.ini_options]',
      'testpaths = ["tests"]',
      'env = [',
      '  "DATABASE_URL=sqlite:///./kanban.db",  # the production file!',
      "  'D:TESTING=1',",
      ']',
      '',
      '[tool.pytest_env]',
      'REDIS_URL = "redis://localhost/1"',
      'SECRET = { value = "s3cret", skip_if_set = true }',
      '',
      '[tool.ruff]',
      'env = ["NOT=pytest"]',
      '',
    ].join('\n');
    expect(read(toml, 'pyproject.toml')).toEqual(['DATABASE_URL=sqlite:///./kanban.db', 'TESTING=1', 'REDIS_URL=redis://localhost/1', 'SECRET=s3cret']);
  });

  it('ignores files it does not know', () => {
    expect(parsePytestEnv('[pytest]\nenv =\n  A=1\n', 'mypy.ini')).toEqual([]);
  });
});
