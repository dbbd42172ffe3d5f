// Loaded with `node --import` by production-build.test.ts: records the URL of every module the
// built server resolves (ESM and CommonJS), and writes them to $AUDIT_FILE when it exits.
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import process from 'node:process';

const seen = new Set();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    seen.add(resolved.url);
    return resolved;
  },
});
process.on('exit', () => writeFileSync(process.env.AUDIT_FILE, JSON.stringify([...seen])));
