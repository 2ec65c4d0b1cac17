// A local HTTP server in the Hugging Face hub's URL layout
// (`/<org>/<name>/resolve/<revision>/<file>`), serving model folders from disk,
// so tests load models by hub id without the network: point transformers.js'
// `env.remoteHost` at `url` (Node), or forward a browser's hub requests to it.
// A missing file is a 404; every answer allows cross-origin reads, so a
// cross-origin-isolated page (COEP: require-corp) may fetch from it too.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, normalize, sep } from 'node:path';

export interface HubServer {
  /** `http://127.0.0.1:<port>/`: the remote host. */
  url: string;
  /** Request paths, in order (`/org/name/resolve/main/config.json`, ...). */
  seen: string[];
  close(): Promise<void>;
}

const HUB_PATH = /^\/([^/]+\/[^/]+)\/resolve\/[^/]+\/(.+)$/;

/** Serve each folder of `repos` (hub id -> folder) at its hub id. */
export async function serveHub(repos: Record<string, string>): Promise<HubServer> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]!;
    seen.push(path);
    const headers = { 'access-control-allow-origin': '*', 'cross-origin-resource-policy': 'cross-origin' };
    const m = HUB_PATH.exec(path);
    const dir = m ? repos[decodeURIComponent(m[1]!)] : undefined;
    const rel = m ? normalize(decodeURIComponent(m[2]!)) : '';
    const file = dir && !rel.startsWith('..') && !rel.startsWith(sep) ? join(dir, rel) : '';
    if (!file || !existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404, headers).end();
    const body = readFileSync(file);
    res.writeHead(200, { ...headers, 'content-length': body.length, 'content-type': 'application/octet-stream' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    seen,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
