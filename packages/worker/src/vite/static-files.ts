// Serve a folder under a URL prefix from a Vite/connect server (the Vite
// plugin's ORT and model files, the demo's models, the browser harness's model
// folders): 404 for anything outside it or filtered out, so load errors stay
// real (not the SPA's index.html).
import { existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import send from 'send';

const types: Record<string, string> = {
  '.json': 'application/json', '.onnx': 'application/octet-stream', '.onnx_data': 'application/octet-stream',
  '.wasm': 'application/wasm', '.mjs': 'text/javascript', '.txt': 'text/plain',
};

/**
 * `send` (what Express's static files use) answers Range requests — transformers.js
 * probes each model file with `Range: bytes=0-0`, and answering that with the whole
 * file sent every model twice — HEAD, and revalidation (ETag, Last-Modified, 304), so
 * a second visit downloads nothing.
 */
export function staticFiles(prefix: string, dir: string, filter: (file: string) => boolean = () => true) {
  const root = resolve(dir);
  return (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const url = decodeURIComponent((req.url ?? '').split('?')[0]!);
    if (!url.startsWith(prefix)) return next();
    const file = normalize(join(root, url.slice(prefix.length)));
    if (!file.startsWith(root + sep) || !filter(file) || !existsSync(file) || !statSync(file).isFile()) {
      res.statusCode = 404;
      return res.end('not found');
    }
    send(req, file, { cacheControl: false, dotfiles: 'allow' })
      .on('headers', (r: ServerResponse) => {
        r.setHeader('Cache-Control', 'no-cache');
        r.setHeader('Content-Type', types[extname(file)] ?? 'application/octet-stream');
        r.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
        // ORT's thread workers are started from these scripts: in a cross-origin isolated
        // page a worker script without COEP is refused, and WASM threads with it.
        r.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
      })
      .on('error', (e: { status?: number }) => {
        res.statusCode = e.status ?? 500;
        res.end();
      })
      .pipe(res);
  };
}
