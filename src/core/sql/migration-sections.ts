/**
 * Migration tools that keep both directions in one file mark the sections with a comment:
 * dbmate `-- migrate:up` / `-- migrate:down`, goose `-- +goose Up` / `-- +goose Down`,
 * sql-migrate `-- +migrate Up` / `-- +migrate Down`, Play evolutions `# --- !Ups` / `# --- !Downs`,
 * MyBatis migrations `-- //@UNDO`.
 */
const SECTION_MARKER = /^[ \t]*(?:--|#)[ \t]*(?:migrate:(up|down)|\+(?:goose|migrate)[ \t]+(up|down)|-*[ \t]*!(ups|downs)|\/\/@(undo))\b/gim;

export interface MigrationSection {
  phase: 'up' | 'down';
  /** Offset of the marker; the section runs to the next marker or the end of the text. */
  start: number;
}

export function getMigrationSections(text: string): MigrationSection[] {
  const sections: MigrationSection[] = [];
  for (const m of text.matchAll(SECTION_MARKER)) {
    const word = (m[1] ?? m[2] ?? m[3] ?? m[4] ?? '').toLowerCase();
    sections.push({ phase: word === 'up' || word === 'ups' ? 'up' : 'down', start: m.index });
  }
  return sections;
}

/**
 * The phase of the section that contains `offset`, or `fallback` (the file's own phase, from its
 * name) when the text has no marker before it.
 */
export function getMigrationPhaseAt(
  sections: readonly MigrationSection[],
  offset: number,
  fallback: 'up' | 'down' | undefined,
): 'up' | 'down' | undefined {
  let phase = fallback;
  for (const section of sections) {
    if (section.start > offset) break;
    phase = section.phase;
  }
  return phase;
}
