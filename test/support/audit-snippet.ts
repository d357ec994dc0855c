import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { audit } from '../../src/scanner/audit.js';
import { resolveConfig } from '../../src/scanner/config.js';
import type { AuditResult } from '../../src/scanner/result.js';

/** Writes files into a fresh folder and audits it with the given config, as `dbguard audit <folder>` would. */
export async function auditFiles(files: Record<string, string>, config: Record<string, unknown> = {}): Promise<AuditResult> {
  const root = mkdtempSync(join(tmpdir(), 'dbguard-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return await audit({ paths: ['.'], cwd: root, root, config: resolveConfig(config, join(root, 'dbguard.config.json')) });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
