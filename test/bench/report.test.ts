import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { record, type Results } from '../../bench/report.ts';

/** `npm run bench -- --quick` prints its numbers but keeps the recorded ones; a full run records. */
const dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const committed = JSON.parse(readFileSync(new URL('../../bench/results.json', import.meta.url), 'utf8')) as Results;
const README = 'Intro\n<!-- bench:start -->\nold tables\n<!-- bench:end -->\nOutro\n';
const paths = { results: pathToFileURL(join(dir, 'results.json')), readme: pathToFileURL(join(dir, 'README.md')) };

describe('bench results', () => {
  it('a quick run writes nothing', () => {
    writeFileSync(paths.readme, README);
    expect(record({ ...committed, measuredAt: '2000-01-01T00:00:00.000Z' }, true, paths)).toEqual([]);
    expect(existsSync(paths.results)).toBe(false);
    expect(readFileSync(paths.readme, 'utf8')).toBe(README);
  });

  it('a full run saves the results and rewrites only the README tables', () => {
    writeFileSync(paths.readme, README);
    expect(record(committed, false, paths).map(String)).toEqual([String(paths.results), String(paths.readme)]);
    expect(JSON.parse(readFileSync(paths.results, 'utf8'))).toEqual(committed);
    const readme = readFileSync(paths.readme, 'utf8');
    expect(readme.startsWith('Intro\n<!-- bench:start -->\nMeasured ')).toBe(true);
    expect(readme.endsWith('<!-- bench:end -->\nOutro\n')).toBe(true);
    expect(readme).not.toContain('old tables');
  });
});
