import { defineConfig, type Plugin } from 'vite';
import { cpSync, createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const modelsDir = join(root, 'models');
const ortDir = join(root, 'node_modules/onnxruntime-web/dist');
// Model folders the site offers; only those present are copied into the build.
const bundledModels = ['tokenizer', 'tiny-random', 'nextedit-student', 'nextedit-draft'];
const types: Record<string, string> = {
  '.json': 'application/json', '.onnx': 'application/octet-stream', '.onnx_data': 'application/octet-stream',
  '.wasm': 'application/wasm', '.mjs': 'text/javascript', '.txt': 'text/plain',
};

/** Serve `url` prefix from `dir` (dev and preview); 404s stay 404s so load errors are real. */
function staticDir(prefix: string, dir: string, filter: (p: string) => boolean) {
  return (req: { url?: string }, res: import('node:http').ServerResponse, next: () => void) => {
    const url = decodeURIComponent((req.url ?? '').split('?')[0]!);
    if (!url.startsWith(prefix)) return next();
    const file = normalize(join(dir, url.slice(prefix.length)));
    if (!file.startsWith(dir + sep) || !filter(file) || !existsSync(file) || !statSync(file).isFile()) {
      res.statusCode = 404;
      return res.end('not found');
    }
    res.setHeader('Content-Type', types[extname(file)] ?? 'application/octet-stream');
    res.setHeader('Content-Length', statSync(file).size);
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    createReadStream(file).pipe(res);
  };
}

const ortFile = (p: string) => /ort-wasm[^/]*\.(wasm|mjs)$/.test(p);
const modelFile = (p: string) => !p.includes(`${sep}data${sep}`) && !p.includes(`${sep}train${sep}`);

/** `/models/` = the repo's models folder, `/ort/` = onnxruntime-web's wasm; copied into builds. */
function nexteditAssets(): Plugin {
  let outDir = '';
  return {
    name: 'nextedit-assets',
    configResolved(c) { outDir = resolve(c.root, c.build.outDir); },
    configureServer(s) {
      s.middlewares.use(staticDir('/models/', modelsDir, modelFile));
      s.middlewares.use(staticDir('/ort/', ortDir, ortFile));
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
