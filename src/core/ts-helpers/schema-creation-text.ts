// What text a JS/TS file must hold for the schema-creation analysis (`schema-creation.ts`) to find
// anything in it. Kept apart from the analysis so that prefiltering needs no TypeScript loaded: the
// thread that reads the files (`read-worker.ts`) asks it too.

/**
 * Text every file with a JS/TS schema-creation site holds (`getOrmSite`, executed DDL, an executed
 * `.sql` file): the whole-repo analysis only follows a constructor's calls into files that have it,
 * or that import one that does. DDL is SQL words (`CREATE TABLE`), not identifiers that start with
 * them (`createTableLockExpression`); knex's `schema.createTable()` has its own alternative.
 * `test/prefilter.test.ts` checks it on every fixture.
 */
export const TS_SCHEMA_SITE_TEXT =
  /\.(?:sync|runMigrations|migrateToLatest)\s*(?:<[^<>()]*>\s*)?\(|(?<!\bthis)\.synchronize\s*(?:<[^<>()]*>\s*)?\(|\bmigrate\s*\??\.\s*latest\s*\(|umzug\s*\??\.\s*up\s*\(|\bschema\s*\??\.\s*createTable(?:IfNotExists)?\s*(?:<[^<>()]*>\s*)?\(|\bcreate\s+(?:(?:or\s+replace|temp|temporary|unlogged|virtual|unique)\s+)*(?:table|index)\b|\.sql\b/i;

/**
 * Text every class with a constructor unit holds: a constructor, or a field initialiser (it runs
 * as part of construction). Checked on every fixture like `TS_SCHEMA_SITE_TEXT`.
 */
const TS_CONSTRUCTION_TEXT = /constructor\s*\(|^\s*(?:(?:private|public|protected|readonly|override|declare|accessor)\s+)*#?[\w$]+[?!]?\s*(?::[^=\n]*)?=(?![=>])/m;

/** Whether JS/TS text may hold a class with a constructor unit (see `TS_CONSTRUCTION_TEXT`). */
export function mayHoldConstruction(text: string): boolean {
  return /\bclass\b/.test(text) && TS_CONSTRUCTION_TEXT.test(text);
}
