// Serve a folder under a URL prefix from a Vite/connect server (the Vite
// plugin's ORT and model files, the demo's models, the browser harness's model
// folders): 404 for anything outside it or filtered out, so load errors stay
// real (not the SPA's index.html).
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const types: Record<string, string> = {
  '.json': 'application/json', '.onnx': 'application/octet-stream', '.onnx_data': 'application/octet-stream',
  '.wasm': 'application/wasm', '.mjs': 'text/javascript', '.txt': 'text/plain',
};

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
    const { size, mtimeMs } = statSync(file);
    // Validators, so a second visit revalidates (304) instead of downloading the 27 MB wasm again.
    const etag = `"${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}"`;
    res.setHeader('ETag', etag);
    res.setHeader('Last-Modified', new Date(mtimeMs).toUTCString());
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Content-Type', types[extname(file)] ?? 'application/octet-stream');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    // ORT's thread workers are started from these scripts: in a cross-origin isolated
    // page a worker script without COEP is refused, and WASM threads with it.
    res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    res.setHeader('Accept-Ranges', 'bytes');
    if (req.headers['if-none-match']?.split(',').some((t) => t.trim() === etag)) {
      res.statusCode = 304;
      return res.end();
    }
    // transformers.js probes a model file with `Range: bytes=0-0` before fetching it:
    // answering the probe with the whole file sent every model twice.
    const range = byteRange(req.headers.range, size);
    if (range === 'unsatisfiable') {
      res.statusCode = 416;
      res.setHeader('Content-Range', `bytes */${size}`);
      return res.end();
    }
    if (range) {
      res.statusCode = 206;
      res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${size}`);
      res.setHeader('Content-Length', range.end - range.start + 1);
    } else {
      res.setHeader('Content-Length', size);
    }
    if (req.method === 'HEAD') return res.end();
    createReadStream(file, range ?? {}).pipe(res);
  };
}

/**
 * One `bytes=a-b`, `bytes=a-` or `bytes=-n` range (RFC 9110), clamped to the file;
 * null for no header or one this server does not serve partly (several ranges,
 * other units, malformed: the whole file, as the RFC allows).
 */
export function byteRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  const m = header?.trim().match(/^bytes=(\d*)-(\d*)$/);
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size) return 'unsatisfiable';
  if (end < start) return null;
  return { start, end };
}
