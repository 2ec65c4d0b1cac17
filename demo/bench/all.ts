// Every bench in one run and one JSON (issue 19's "the benchmark is the judge"): the
// decoding bench on Node and in Chromium WASM (passes, wall time, identical outputs,
// KV cache, p50/p95, held-back cost, threads), the demo's page load (cold/warm, dev
// and build) and typing in a 2,000-line file. Each runs as its own process, one after
// another, so none slows another; their progress goes to stderr.
//   npm run bench:all [-- --limit 10 --keys 6 --min-confidence 0] [--typing-keys 240]
// Options before --typing-keys go to both decoding benches.
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const typingAt = args.indexOf('--typing-keys');
const typingKeys = typingAt >= 0 ? args.splice(typingAt, 2)[1] : undefined;

/** Runs an npm script with --json and returns the JSON its last stdout line holds. */
function run(script: string, extra: string[]): unknown {
  console.error(`bench:all: npm run ${script} -- ${[...extra, '--json'].join(' ')}`);
  const r = spawnSync('npm', ['run', '--silent', script, '--', ...extra, '--json'], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`bench:all: npm run ${script} failed (exit ${r.status})`);
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(last);
  } catch {
    throw new Error(`bench:all: npm run ${script} printed no JSON (last line: ${last.slice(0, 200)})`);
  }
}

const result = {
  node: run('bench', args),
  chromium_wasm: run('bench', [...args, '--browser', 'wasm']),
  page: run('bench:page', []),
  typing: (run('bench:typing', typingKeys ? ['--keys', typingKeys] : []) as { typing: unknown }).typing,
};
console.log(JSON.stringify(result));
