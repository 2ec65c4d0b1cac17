// Run one of the worker's CLIs as a user would (npx tsx from the repo root) and
// return its output and exit code, also when it fails.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));

export async function runCli(cli: string, args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const r = await run('npx', ['tsx', '--conditions=source', cli, ...args], { cwd: root });
    return { ...r, code: 0 };
  } catch (e) {
    const err = e as { stdout: string; stderr: string; code: number };
    return { stdout: err.stdout, stderr: err.stderr, code: err.code };
  }
}
