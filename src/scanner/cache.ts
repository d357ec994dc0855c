import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VERSION } from '../core/package-info.js';

interface CacheFile {
  key: string;
  entries: Record<string, { hash: string; value: unknown }>;
}

/**
 * Per-file results keyed by content hash, like ESLint's `--cache` with `content` strategy: a file's
 * analysis, and what the whole-repo pass reads from its text (imports, the commands of a workflow
 * or compose file), so a warm run of an unchanged repository reads, hashes and looks up. The whole
 * cache is dropped when dbguard's version or the resolved config changes, since either can change
 * any file's findings.
 */
export class AnalysisCache {
  private readonly file: string;
  private readonly key: string;
  private entries: CacheFile['entries'] = {};
  private readonly used: CacheFile['entries'] = {};

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

  /** A file's content digest, computed once per file whatever is cached for it. */
  static digest(text: string): string {
    return createHash('sha1').update(text).digest('base64');
  }

  /** `key` names the file and the stage; `hash` is the file's digest with whatever else the value depends on. */
  get<T>(key: string, hash: string): T | undefined {
    const entry = this.entries[key];
    if (entry && entry.hash === hash) {
      this.used[key] = entry;
      return entry.value as T;
    }
    return undefined;
  }

  set<T>(key: string, hash: string, value: T): T {
    this.used[key] = { hash, value };
    return value;
  }

  /** Writes only the entries of this run, so deleted files do not accumulate. Atomic rename. */
  save(): void {
    mkdirSync(join(this.file, '..'), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ key: this.key, entries: this.used } satisfies CacheFile));
    renameSync(temporary, this.file);
  }
}
