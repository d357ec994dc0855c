import { describe, expect, it } from 'vitest';
import { looksGenerated } from '../../src/core/generated-code.js';

const line = (n: number) => `${'x'.repeat(n - 1)};`;

describe('looksGenerated: minified or bundled files are skipped, hand-written ones read', () => {
  it.each([
    ['a short file, whatever its shape', line(1_900), false],
    ['ordinary code: many short lines', Array.from({ length: 3_000 }, () => line(40)).join('\n'), false],
    ['a hand-written file with one long embedded string (an SVG)', [...Array.from({ length: 200 }, () => line(40)), line(1_500)].join('\n'), false],
    ['a minified bundle on one line', line(50_000), true],
    ['one line holding most of the file', [line(100_000), ...Array.from({ length: 10 }, () => line(20))].join('\n'), true],
    ['long lines throughout (more than 300 characters on average)', Array.from({ length: 50 }, () => line(400)).join('\n'), true],
    ['only the first 200,000 characters are looked at', [...Array.from({ length: 5_000 }, () => line(40)), line(400_000)].join('\n'), false],
  ])('%s', (_name, text, expected) => {
    expect(looksGenerated(text)).toBe(expected);
  });
});
