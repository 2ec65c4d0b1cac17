// Node side of running worker code in headless Chromium: a Vite dev server
// (no watcher, no HMR; COOP/COEP so WASM may use threads; ORT's wasm files
// self-hosted under /ort/; folders served under URL prefixes) and a Chromium
// with a fresh profile and WebGPU enabled. Used by the browser bench and the
// browser tests. `close()` always ends Chromium, the server and the profile.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createServer, type Plugin, type ViteDevServer } from 'vite';
import { staticFiles } from './static-files.js';

export const chromiumPath = '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
/** onnxruntime-web's dist folder (its `.mjs`/`.wasm` files). */
const ortDir = dirname(createRequire(import.meta.url).resolve('onnxruntime-web'));

/** Serve the files under `dir` at URL `prefix` (404 for anything else, so load errors stay real). */
export function serveDir(prefix: string, dir: string): Plugin {
  return {
    name: `serve${prefix}`,
    configureServer(s) {
      s.middlewares.use(staticFiles(prefix, dir));
    },
  };
}

export interface ChromiumPageOptions {
  /** Vite root: the folder with the page's index.html. */
  root: string;
  /** URL prefix (like '/model/') -> local folder. '/ort/' (onnxruntime-web) is always served. */
  serve?: Record<string, string>;
  /** Called before the page loads, e.g. to expose functions to it. */
  setup?(page: Page): Promise<void>;
  /** Progress lines (server, browser). */
  log?(line: string): void;
  /** Uncaught errors in the page. Default: to `log`. */
  onPageError?(e: Error): void;
}

export interface ChromiumPage {
  page: Page;
  url: string;
  close(): Promise<void>;
}

export async function openChromiumPage(opts: ChromiumPageOptions): Promise<ChromiumPage> {
  const log = opts.log ?? (() => undefined);
  if (!hasChromium) throw new Error(`nextedit: Chromium not found at ${chromiumPath} (apt-get install -y chromium)`);
  let server: ViteDevServer | undefined;
  let context: BrowserContext | undefined;
  let profile: string | undefined;
  const close = async () => {
    try {
      await context?.close();
    } finally {
      context = undefined;
      try {
        await server?.close();
      } finally {
        server = undefined;
        if (profile) rmSync(profile, { recursive: true, force: true });
        profile = undefined;
      }
    }
  };
  try {
    const plugins = Object.entries({ '/ort/': ortDir, ...opts.serve }).map(([prefix, dir]) => serveDir(prefix, dir));
    server = await createServer({
      root: opts.root,
      configFile: false,
      logLevel: 'error',
      resolve: { conditions: ['source'] },
      plugins,
      server: {
        port: 0,
        // Others edit the repo meanwhile: no watcher, no HMR reloads mid-run.
        hmr: false,
        watch: null,
        headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
        fs: { allow: [repoRoot] },
      },
      worker: { format: 'es' },
      optimizeDeps: { noDiscovery: true, include: [], exclude: ['onnxruntime-web', '@huggingface/transformers'] },
    });
    await server.listen();
    const address = server.httpServer!.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const url = `http://localhost:${port}/`;
    log(`vite dev server at ${url}`);
    profile = mkdtempSync(join(tmpdir(), 'nextedit-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    log(`chromium started (profile in ${profile})`);
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', opts.onPageError ?? ((e) => log(`page error: ${e.stack ?? e.message}`)));
    await opts.setup?.(page);
    await page.goto(url);
    return { page, url, close };
  } catch (e) {
    await close();
    throw e;
  }
}
