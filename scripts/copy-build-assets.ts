/**
 * `npm run build` compiles src/ to dist/ with tsc, which copies no data files. The server reads
 * some at run time (SQL migrations and their journal, legal document texts, the common-password
 * list, the tokenizer's worker script): copy every non-TypeScript file under src/ to the same place
 * under dist/.
 */
import { cp, readdir } from 'node:fs/promises';
import path from 'node:path';

const ASSET = /\.(sql|json|md|txt|cjs)$/;

async function copyAssets(from: string, to: string): Promise<number> {
  let copied = 0;
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) copied += await copyAssets(source, target);
    else if (ASSET.test(entry.name)) {
      await cp(source, target);
      copied += 1;
    }
  }
  return copied;
}

console.log(`copied ${await copyAssets('src', 'dist')} asset files to dist/`);
