import { describe, expect, it } from 'vitest';
import { findDestructiveCommands } from '../../src/core/scripts/destructive-commands.js';

/** Python migration tools in start paths: the shapes `no-destructive-script` reads from entrypoints and Dockerfiles. */
describe('findDestructiveCommands on Python tooling', () => {
  it.each([
    ['alembic downgrade base && alembic upgrade head', 'alembic downgrade base'],
    ['alembic -c deploy/alembic.ini downgrade base', 'alembic -c deploy/alembic.ini downgrade base'],
    ['python -m alembic downgrade base', 'alembic downgrade base'],
    ['flask db downgrade base; flask db upgrade', 'flask db downgrade base'],
    ['flask --app kanban db downgrade base', 'flask --app kanban db downgrade base'],
    ['poetry run python manage.py migrate shop zero', 'python manage.py migrate shop zero'],
    ['uv run python manage.py flush --noinput && gunicorn app.wsgi', 'python manage.py flush --noinput'],
  ])('finds %j', (line, command) => {
    expect(findDestructiveCommands(line).map((c) => line.slice(c.start, c.end))).toEqual([command]);
  });

  it.each([
    'alembic upgrade head',
    'alembic downgrade -1',
    'flask db upgrade',
    'python manage.py migrate',
    'python manage.py migrate shop 0003',
    'echo "alembic downgrade base"',
  ])('ignores %j', (line) => {
    expect(findDestructiveCommands(line)).toEqual([]);
  });
});
