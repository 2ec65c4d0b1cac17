// Reading model files from a local folder (Node) or a URL prefix (browser or
// Node), so the tokenizer and config load without touching transformers.js's
// global `env`.

/** True when `source` is an http(s) URL prefix or a site-relative path in a browser. */
export function isUrlSource(source: string): boolean {
  if (/^https?:\/\//i.test(source)) return true;
  // In a browser (or worker) every path is fetched from the page's origin.
  return typeof process === 'undefined' || !process.versions?.node;
}

/** A Hugging Face hub id as a browser page names one: `org/name`, no scheme, no leading `/` or `.`. */
const HUB_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;

/**
 * True when `source` names a local folder or URL, not a hub id like `org/name`.
 * In a browser every other name is a path on the page's origin.
 */
export function isPathOrUrl(source: string): boolean {
  if (/^https?:\/\//i.test(source) || /^(\.{0,2}\/|[A-Za-z]:[\\/])/.test(source)) return true;
  return isUrlSource(source) && !(HUB_ID.test(source) && !source.includes('..'));
}

export function joinSource(source: string, file: string): string {
  return source.replace(/\/+$/, '') + '/' + file;
}

/** The text of `file` under `source`; throws naming the full path when it is missing. */
export async function readSourceText(source: string, file: string): Promise<string> {
  const where = joinSource(source, file);
  if (isUrlSource(source)) {
    const res = await fetch(where);
    if (!res.ok) throw new Error(`nextedit: cannot load ${where}: HTTP ${res.status}`);
    // A site's SPA fallback answers a missing file with its page: say so, not "not valid JSON".
    if (/^text\/html/i.test(res.headers.get('content-type') ?? '') && !/\.html?$/i.test(file)) {
      throw new Error(`nextedit: cannot load ${where}: the server answered with an HTML page (HTTP ${res.status}), not the file; is it missing?`);
    }
    return res.text();
  }
  const { readFile } = await import('node:fs/promises');
  try {
    return await readFile(where, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new Error(`nextedit: cannot load ${where}: ${code === 'ENOENT' ? 'file not found' : String(e)}`);
  }
}

export async function readSourceJson(source: string, file: string): Promise<Record<string, unknown>> {
  const text = await readSourceText(source, file);
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`nextedit: ${joinSource(source, file)} is not valid JSON (corrupt file?): ${(e as Error).message}`);
  }
}
