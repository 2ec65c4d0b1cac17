// prepack: copy the bundled models' runtime files from the repository's models/
// folder into this package (they are not kept twice in git); postpack (--clean)
// removes the copies again. Each file must be under 50 MB.
import { copyFileSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(pkg, '..', '..', 'models');
const { models, runtimeFiles } = await import('../index.js');
const LIMIT = 50 * 1024 * 1024;

for (const m of models) rmSync(join(pkg, m), { recursive: true, force: true });
if (!process.argv.includes('--clean')) {
  for (const m of models) {
    for (const f of runtimeFiles) {
      const from = join(source, m, f);
      const size = statSync(from).size;
      if (size >= LIMIT) throw new Error(`${from} is ${size} bytes, over the 50 MB a packaged file may be`);
      mkdirSync(dirname(join(pkg, m, f)), { recursive: true });
      copyFileSync(from, join(pkg, m, f));
    }
  }
}
