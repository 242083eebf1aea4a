import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LOGO_MAX_BYTES, logoProblem } from './logo-file.js';

test('a logo is a PNG, JPEG or SVG file of at most 100 kB', () => {
  const cases: [{ type: string; size: number }, string | null][] = [
    [{ type: 'image/png', size: 2_000 }, null],
    [{ type: 'image/jpeg', size: LOGO_MAX_BYTES }, null],
    [{ type: 'image/svg+xml', size: 512 }, null],
    [{ type: 'image/png', size: LOGO_MAX_BYTES + 1 }, 'must be at most 100 kB (this file is 101 kB)'],
    [{ type: 'image/jpeg', size: 250_000 }, 'must be at most 100 kB (this file is 245 kB)'],
    [{ type: 'image/png', size: 100_000 }, null],
    [{ type: 'image/png', size: 0 }, 'the file is empty'],
    [{ type: 'image/gif', size: 1_000 }, 'must be a PNG, JPEG or SVG image'],
    [{ type: 'image/webp', size: 1_000 }, 'must be a PNG, JPEG or SVG image'],
    [{ type: '', size: 1_000 }, 'must be a PNG, JPEG or SVG image'],
    [{ type: 'text/html', size: 1_000 }, 'must be a PNG, JPEG or SVG image'],
  ];
  for (const [file, problem] of cases) assert.equal(logoProblem(file), problem, `${file.type} ${file.size}`);
});
