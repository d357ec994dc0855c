import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Mulberry32: a tiny deterministic PRNG, so every run benchmarks the same repository. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Ordinary application code: no database words at all, like most files of a real service. */
function fillerFunction(random: () => number, index: number): string {
  const n = Math.floor(random() * 1000);
  return `
export function compute${index}(items: Array<{ id: number; price: number; tags: string[] }>, factor = ${n}): number {
  let total = 0;
  for (const item of items) {
    if (item.tags.includes('sale')) {
      total += item.price * 0.9 * factor;
    } else if (item.tags.length > ${n % 7}) {
      total += Math.round(item.price / (factor + 1));
    } else {
      total += item.price;
    }
  }
  const label = \`total-\${total.toFixed(2)}-${index}\`;
  return label.length > 12 ? total : total + ${n};
}
`;
}

const PLANTED = {
  app: `import { DataSource } from 'typeorm';
export const dataSource = new DataSource({ type: 'postgres', url: process.env.DATABASE_URL, synchronize: true, entities: [] });
export async function start() {
  await dataSource.initialize();
  await dataSource.dropDatabase();
}
`,
  lookalike: `import { logger } from './logger';
export async function cleanup(cache: Map<string, string>, db: { query(sql: string, params?: unknown[]): Promise<unknown> }) {
  cache.clear();
  logger.warn('DROP TABLE is never run from here');
  await db.query('SELECT * FROM users WHERE id = $1', [1]);
  await db.query('DELETE FROM sessions WHERE expires_at < now()');
  if (process.env.NODE_ENV === 'test') await db.query('TRUNCATE users');
}
`,
  migration: `export async function up(knex) {
  await knex.schema.createTable('orders', (t) => { t.increments('id'); t.string('ref'); });
}
export async function down(knex) {
  await knex.schema.dropTable('orders');
}
`,
  test: `import { dataSource } from '../src/app';
afterAll(async () => { await dataSource.dropDatabase(); });
it('works', () => expect(1).toBe(1));
`,
  python: `from sqlalchemy import create_engine
from .models import Base

engine = create_engine("sqlite:///./app.db")

def init_db():
    Base.metadata.create_all(bind=engine)


def helper(values):
    total = 0
    for value in values:
        total += value * 2
    return total
`,
};

export interface SyntheticRepoStats {
  files: number;
  lines: number;
}

/** Writes a repository of about `fileCount` files (~150 lines each) under `root`. */
export function writeSyntheticRepo(root: string, fileCount: number, seed = 42): SyntheticRepoStats {
  const random = prng(seed);
  let lines = 0;
  let files = 0;
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
    lines += text.split('\n').length;
    files++;
  };
  write('package.json', JSON.stringify({ name: 'synthetic', scripts: { start: 'node dist/server.js', 'db:reset': 'prisma migrate reset --force' } }, null, 2));
  write('Dockerfile', 'FROM node:20\nCOPY . .\nRUN npm ci\nCMD ["node", "dist/server.js"]\n');
  for (let i = 0; files < fileCount; i++) {
    const roll = random();
    const module = `m${Math.floor(i / 50)}`;
    if (roll < 0.01) write(`src/${module}/app-${i}.ts`, PLANTED.app + fillerFunction(random, i));
    else if (roll < 0.05) write(`src/${module}/cleanup-${i}.ts`, PLANTED.lookalike + fillerFunction(random, i));
    else if (roll < 0.07) write(`db/migrations/${String(i).padStart(6, '0')}_orders.js`, PLANTED.migration);
    else if (roll < 0.15) write(`test/${module}/case-${i}.test.ts`, PLANTED.test + fillerFunction(random, i));
    else if (roll < 0.17) write(`db/sql/${i}.sql`, `CREATE TABLE IF NOT EXISTS t${i} (id integer primary key);\nINSERT INTO t${i} (id) VALUES (1) ON CONFLICT DO NOTHING;\n`);
    else if (roll < 0.27) write(`service/${module}/mod_${i}.py`, PLANTED.python + Array.from({ length: 12 }, (_, k) => `\n\ndef f${k}_${i}(x):\n    return [y * ${k} for y in range(x) if y % 3]\n`).join(''));
    else {
      const body = Array.from({ length: 11 }, (_, k) => fillerFunction(random, i * 20 + k)).join('');
      write(`src/${module}/${random() < 0.5 ? 'service' : 'util'}-${i}.${random() < 0.7 ? 'ts' : 'js'}`, `// generated module ${i}\n${body}`);
    }
  }
  return { files, lines };
}
