import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { createRoleMatcher, type RoleMatcher } from '../core/file-role.js';
import { looksGenerated } from '../core/generated-code.js';
import { mayHoldConstruction } from '../core/ts-helpers/schema-creation-text.js';
import type { FileRole, RoleGlobs } from '../core/types.js';
import { discoverFiles, type DiscoveredFile, type SkippedFile } from './discover.js';
import type { FileFacts } from './facts.js';
import { extractTextFacts, needsTypescriptFacts } from './text-facts.js';

/**
 * A file's bytes (and its text, when read in the thread that will use it), or why it is not read:
 * too large, unreadable, binary, not UTF-8, minified. JS/TS files come with what their text says
 * before any parse.
 */
export type ReadOutcome = { file: DiscoveredFile; skipped: string } | { file: DiscoveredFile; bytes: Uint8Array; text?: string; prefiltered?: TextPrefilter };

export interface TextPrefilter {
  /** `mayHoldConstruction`. */
  constructs: boolean;
  /** `extractTextFacts` and `needsTypescriptFacts` without schema reach, unless the caller has its results cached. */
  facts?: FileFacts;
  needsFacts?: boolean;
  /** The role those were computed for (with the request's globs). */
  role?: FileRole;
}

export interface ReadRequest {
  root: string;
  /** Absolute files or folders. */
  paths: readonly string[];
  ignores: readonly string[];
  maxFileSize: number;
  roles: Partial<RoleGlobs>;
  /** Extract JS/TS text facts and ask whether they need a parse for more (not with `--cache`). */
  textFacts: boolean;
}

export interface ReadSummary {
  skipped: SkippedFile[];
  unmatched: string[];
}

/**
 * The file's bytes, or `undefined` when it is larger than `limit`: one open, one stat, one read.
 * Each file gets a buffer of its own (not a slice of Node's pool), so a worker can hand it over
 * without copying.
 */
function readUpTo(absolute: string, limit: number): Uint8Array | undefined {
  const fd = openSync(absolute, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > limit) return undefined;
    const buffer = Buffer.allocUnsafeSlow(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buffer, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return read === size ? buffer : buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * The file's source text, decoded once (BOM removed, as ESLint does), or why it is not source text:
 * binary, not UTF-8, or generated/minified.
 */
function decodeSource(bytes: Uint8Array, kind: DiscoveredFile['kind']): { text: string } | { reason: string } {
  if (bytes.subarray(0, 8000).includes(0)) return { reason: 'binary file' };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { reason: 'not valid UTF-8' };
  }
  if (kind === 'typescript' && looksGenerated(text)) return { reason: 'minified or bundled (very long lines)' };
  return { text };
}

function readDiscoveredFile(file: DiscoveredFile, request: ReadRequest, roleOf: RoleMatcher): ReadOutcome {
  let bytes: Uint8Array | undefined;
  try {
    bytes = readUpTo(file.absolute, request.maxFileSize);
  } catch (error) {
    return { file, skipped: `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
  if (!bytes) return { file, skipped: `larger than ${Math.round(request.maxFileSize / 1024)} KB (set maxFileSize to read it)` };
  const decoded = decodeSource(bytes, file.kind);
  if ('reason' in decoded) return { file, skipped: decoded.reason };
  const { text } = decoded;
  if (file.kind !== 'typescript') return { file, bytes, text };
  const constructs = mayHoldConstruction(text);
  if (!request.textFacts) return { file, bytes, text, prefiltered: { constructs } };
  const role = roleOf(file.path);
  return { file, bytes, text, prefiltered: { constructs, facts: extractTextFacts(text, role), needsFacts: needsTypescriptFacts(text, role, { reachesSchema: false }), role } };
}

/** Files per batch: enough that handing a batch over costs little next to reading it. */
const BATCH_FILES = 64;

/**
 * Walks the paths and reads every file the walk keeps, in batches as it goes, so whoever receives
 * them (the audit, in another thread) can work on the first files while the walk goes on. What it
 * does per file is what one thread can take off the other without TypeScript: read, decode, and the
 * JS/TS text facts.
 */
export async function discoverAndRead(request: ReadRequest, onBatch: (batch: ReadOutcome[]) => void): Promise<ReadSummary> {
  let batch: ReadOutcome[] = [];
  const roleOf = createRoleMatcher(request.roles);
  const { skipped, unmatched } = await discoverFiles(request.root, request.paths, request.ignores, (file) => {
    batch.push(readDiscoveredFile(file, request, roleOf));
    if (batch.length >= BATCH_FILES) {
      onBatch(batch);
      batch = [];
    }
  });
  if (batch.length > 0) onBatch(batch);
  return { skipped, unmatched };
}
