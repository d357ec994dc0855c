import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VERSION } from '../core/package-info.js';
import type { FileAnalysis } from './analyze-file.js';

interface CacheFile {
  key: string;
  entries: Record<string, { hash: string; analysis: FileAnalysis }>;
}

/**
 * Per-file results keyed by content hash, like ESLint's `--cache` with `content` strategy. The whole
 * cache is dropped when dbguard's version or the resolved config changes, since either can change
 * any file's findings.
 */
export class AnalysisCache {
  private readonly file: string;
  private readonly key: string;
  private entries: CacheFile['entries'] = {};
  private readonly used: CacheFile['entries'] = {};
  hits = 0;
  misses = 0;

  constructor(location: string, configHash: string) {
    this.file = join(location, 'results.json');
    this.key = createHash('sha256').update(`${VERSION}\0${configHash}`).digest('hex');
    try {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as CacheFile;
      if (parsed.key === this.key && parsed.entries && typeof parsed.entries === 'object') this.entries = parsed.entries;
    } catch {
      // no cache yet, or an unreadable one: start empty
    }
  }

  static hash(text: string, context: string): string {
    return createHash('sha1').update(context).update('\0').update(text).digest('base64');
  }

  get(path: string, hash: string): FileAnalysis | undefined {
    const entry = this.entries[path];
    if (entry && entry.hash === hash) {
      this.hits++;
      this.used[path] = entry;
      return entry.analysis;
    }
    this.misses++;
    return undefined;
  }

  set(path: string, hash: string, analysis: FileAnalysis): FileAnalysis {
    this.used[path] = { hash, analysis };
    return analysis;
  }

  /** Writes only the entries of this run, so deleted files do not accumulate. Atomic rename. */
  save(): void {
    mkdirSync(join(this.file, '..'), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ key: this.key, entries: this.used } satisfies CacheFile));
    renameSync(temporary, this.file);
  }
}
