import { defineConfig, type Plugin } from 'vite';
import { cpSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { staticFiles } from './packages/worker/src/tools/static-files.js';

const root = dirname(fileURLToPath(import.meta.url));
const modelsDir = join(root, 'models');
const ortDir = join(root, 'node_modules/onnxruntime-web/dist');
// Model folders the site offers; only those present are copied into the build.
const bundledModels = ['tokenizer', 'tiny-random', 'nextedit-student', 'nextedit-draft'];
const ortFile = (p: string) => /ort-wasm[^/]*\.(wasm|mjs)$/.test(p);
const modelFile = (p: string) => !p.includes(`${sep}data${sep}`) && !p.includes(`${sep}train${sep}`);

/** `/models/` = the repo's models folder, `/ort/` = onnxruntime-web's wasm; copied into builds (and 404 for what is not there). */
function nexteditAssets(): Plugin {
  let outDir = '';
  return {
    name: 'nextedit-assets',
    configResolved(c) { outDir = resolve(c.root, c.build.outDir); },
    configureServer(s) {
      s.middlewares.use(staticFiles('/models/', modelsDir, modelFile));
      s.middlewares.use(staticFiles('/ort/', ortDir, ortFile));
    },
    // The build's copies, served the same way: a missing file is a 404, not the SPA's index.html.
    configurePreviewServer(s) {
      s.middlewares.use(staticFiles('/models/', join(outDir, 'models'), modelFile));
      s.middlewares.use(staticFiles('/ort/', join(outDir, 'ort'), ortFile));
    },
    closeBundle() {
      for (const m of bundledModels) {
        const src = join(modelsDir, m);
        if (existsSync(src)) cpSync(src, join(outDir, 'models', m), { recursive: true });
      }
      mkdirSync(join(outDir, 'ort'), { recursive: true });
      cpSync(ortDir, join(outDir, 'ort'), { recursive: true, filter: (p) => statSync(p).isDirectory() || ortFile(p) });
    },
  };
}

const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// The demo site. `npm start` serves it; PORT picks the port (default 5173).
export default defineConfig({
  root: 'demo',
  resolve: { conditions: ['source'] },
  plugins: [nexteditAssets()],
  // Cross-origin isolation enables threaded WASM (SharedArrayBuffer).
  server: { port: Number(process.env.PORT ?? 5173), strictPort: true, headers: isolation },
  preview: { port: Number(process.env.PORT ?? 4173), headers: isolation },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['onnxruntime-web', '@huggingface/transformers'] },
  build: { outDir: '../dist/demo', emptyOutDir: true, target: 'es2022' },
});
