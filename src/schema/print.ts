import { writeFileSync } from 'node:fs';
import { printSchema } from 'graphql';
import { buildSchema } from './index.ts';

/** Writes schema/schema.graphql (sorted); `--check` fails when the committed file is stale. */
const target = new URL('../../schema/schema.graphql', import.meta.url);
const sdl = `${printSchema(buildSchema())}\n`;

if (process.argv.includes('--check')) {
  const { readFileSync, existsSync } = await import('node:fs');
  const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
  if (current !== sdl) {
    console.error('schema/schema.graphql is stale: run `npm run schema:print` and commit it.');
    process.exit(1);
  }
  console.log('schema/schema.graphql is current.');
} else {
  writeFileSync(target, sdl);
  console.log('Wrote schema/schema.graphql.');
}
