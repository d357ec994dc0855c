import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_NAME = 'eslint-plugin-dbguard';
export const REPOSITORY_URL = 'https://github.com/dbguard/eslint-plugin-dbguard';

/** This package's root: one of the parents of this module, whether it runs from `src/` or `lib/src/`. */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (json.name === PACKAGE_NAME) return dir;
    } catch {
      // not here; keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

export const PACKAGE_ROOT = findPackageRoot();
export const VERSION: string = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** One URL builder for ESLint's `meta.docs.url`, SARIF `helpUri`, stylish output and annotations. */
export function getDocsUrl(ruleId: string): string {
  return `${REPOSITORY_URL}/blob/v${VERSION}/rules/${ruleId}/README.md`;
}
