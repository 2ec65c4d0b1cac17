import { defineConfig, type Plugin } from 'vite';
import { cpSync, existsSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { staticFiles } from './packages/worker/src/tools/static-files.js';
import { nextedit } from './packages/worker/src/vite/plugin.js';

const root = dirname(fileURLToPath(import.meta.url));
const modelsDir = join(root, 'models');
// Model folders the site offers; only those present are copied into the build.
const bundledModels = ['tokenizer', 'tiny-random', 'nextedit-student', 'nextedit-draft'];
const modelFile = (p: string) => !p.includes(`${sep}data${sep}`) && !p.includes(`${sep}train${sep}`);

/** `/models/` = the repo's models folder, copied into builds (and 404 for what is not there). */
function nexteditAssets(): Plugin {
  let outDir = '';
  return {
    name: 'nextedit-assets',
    configResolved(c) { outDir = resolve(c.root, c.build.outDir); },
    configureServer(s) {
      s.middlewares.use(staticFiles('/models/', modelsDir, modelFile));
    },
    // The build's copies, served the same way: a missing file is a 404, not the SPA's index.html.
    configurePreviewServer(s) {
      s.middlewares.use(staticFiles('/models/', join(outDir, 'models'), modelFile));
    },
    closeBundle() {
      for (const m of bundledModels) {
        const src = join(modelsDir, m);
        if (existsSync(src)) cpSync(src, join(outDir, 'models', m), { recursive: true });
      }
    },
  };
}

// The demo site. `npm start` serves it; PORT picks the port (default 5173).
export default defineConfig({
  root: 'demo',
  resolve: { conditions: ['source'] },
  // The published plugin serves and emits onnxruntime-web's runtime files at /ort/ (the demo
  // serves its models from the repository); cross-origin isolation enables threaded WASM.
  plugins: [nextedit({ models: false, crossOriginIsolation: true }), nexteditAssets()],
  server: { port: Number(process.env.PORT ?? 5173), strictPort: true },
  preview: { port: Number(process.env.PORT ?? 4173) },
  build: { outDir: '../dist/demo', emptyOutDir: true, target: 'es2022' },
});
