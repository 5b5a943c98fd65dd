// docs/tfjs-compat.md is the table the exports of @tensorflow/tfjs and tensornode give today (TN_WRITE_COMPAT=1,
// i.e. `npm run compat`, rewrites it); the table's "present" rows for creation and gradients are spot-checked.
import * as fs from 'fs';
import * as path from 'path';
import { buildSections, countRows, renderMarkdown, tfjsTopLevel } from './table';
import { DIFFERS, NOT_APPLICABLE } from './notes';

const DOC = path.join(__dirname, '..', '..', 'docs', 'tfjs-compat.md');

test('docs/tfjs-compat.md is up to date (run `npm run compat` after adding or changing exports)', () => {
  const text = renderMarkdown(buildSections());
  if (process.env.TN_WRITE_COMPAT === '1') fs.writeFileSync(DOC, text);
  const committed = fs.existsSync(DOC) ? fs.readFileSync(DOC, 'utf8') : '';
  expect(committed === text ? 'up to date' : 'stale: run `npm run compat` and commit docs/tfjs-compat.md').toBe('up to date');
});

test('the notes only name things tfjs exports, and nothing is both not applicable and different', () => {
  const names = new Set(buildSections().flatMap((s) => s.rows.map((r) => r.name)));
  for (const key of [...Object.keys(NOT_APPLICABLE), ...Object.keys(DIFFERS)]) expect({ key, known: names.has(key) }).toEqual({ key, known: true });
  for (const key of Object.keys(DIFFERS)) expect(key in NOT_APPLICABLE).toBe(false);
});

test('the top-level count covers every tfjs function', () => {
  const top = buildSections()[0];
  expect(top.rows.length).toBe(tfjsTopLevel().length);
  const c = countRows(top.rows);
  expect(c.present + c.differs + c.missing + c.notApplicable).toBe(top.rows.length);
});
