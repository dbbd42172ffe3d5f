import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { printSchema } from 'graphql';
import { buildSchema } from './index.ts';

/**
 * Writes the SDL (sorted) to schema/schema.graphql and to the copy the client package ships
 * for apps' codegen; `--check` fails when either committed file is stale.
 */
const targets = ['schema/schema.graphql', 'packages/client/schema.graphql'];
const sdl = `${printSchema(buildSchema())}\n`;
const urlOf = (path: string) => new URL(`../../${path}`, import.meta.url);

if (process.argv.includes('--check')) {
  const stale = targets.filter((path) => (existsSync(urlOf(path)) ? readFileSync(urlOf(path), 'utf8') : '') !== sdl);
  if (stale.length > 0) {
    console.error(`${stale.join(' and ')} ${stale.length > 1 ? 'are' : 'is'} stale: run \`npm run schema:print\` and commit.`);
    process.exit(1);
  }
  console.log(`${targets.join(' and ')} are current.`);
} else {
  for (const path of targets) writeFileSync(urlOf(path), sdl);
  console.log(`Wrote ${targets.join(' and ')}.`);
}
