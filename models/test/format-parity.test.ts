// Training prompts (models/train/format.ts) must be exactly what the predictor
// builds at inference: the same format, tokenizer and budget give the same ids,
// and the answer is the format's own target for the case.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getPromptFormat, placeAfter } from '@nextedit/core';
import { loadTokenizer } from '@nextedit/worker';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cases = join(root, 'packages/worker/test/fixtures/eval-cases.jsonl');
const budget = { near: 128, history: 96 };

describe('format.ts', () => {
  it.each(['native', 'native@2', 'native@3'])('writes the ids the %s format builds at inference, plus the target answer', async (name) => {
    const format = getPromptFormat(name);
    const out = join(mkdtempSync(join(tmpdir(), 'nextedit-format-')), 'train.jsonl');
    const r = spawnSync(
      'npx',
      ['--no-install', 'tsx', '--conditions=source', 'models/train/format.ts', '--in', cases, '--out', out,
        '--format', name, '--budget', JSON.stringify(budget), '--no-edit-share', '1'],
      { cwd: root, encoding: 'utf8' },
    );
    expect(r.status, r.stderr).toBe(0);
    const written = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    // The fixture holds two bad lines (not JSON; a cursor past the end): reported and skipped.
    expect(r.stderr).toMatch(/eval-cases\.jsonl:2: skipped/);
    expect(r.stderr).toMatch(/eval-cases\.jsonl:4: skipped: "cursor" .*not 9/);
    const source = readFileSync(cases, 'utf8').trim().split('\n').flatMap((l) => {
      try {
        return [JSON.parse(l)];
      } catch {
        return [];
      }
    });
    expect(written.map((e) => e.id).sort()).toEqual(['complete-1', 'next-1', 'rename-1']);

    const tokenizer = await loadTokenizer(join(root, 'models/tokenizer'));
    for (const ex of written) {
      const c = source.find((s) => s.id === ex.id);
      const prompt = format.build({ path: c.path, text: c.before, cursor: c.cursor, events: c.events }, tokenizer, budget);
      expect(ex.ids.slice(0, ex.loss_start)).toEqual(prompt.tokens);
      // Aligned positions: the prompt's own, the answer placed as the engine feeds it (v2: the block's).
      const answerIds = ex.ids.slice(ex.loss_start);
      expect(ex.positions).toEqual([...prompt.positions!, ...placeAfter(prompt.positions!.at(-1)!, answerIds, prompt.nextPosition)]);
      const answer = format.target(prompt, c.after) ?? format.target(prompt, c.before);
      expect(tokenizer.decode(ex.ids.slice(ex.loss_start))).toBe(answer);
      // The answer ends in a stop token, so the model learns to stop.
      expect(prompt.stopTokenIds).toContain(ex.ids[ex.ids.length - 1]);
    }
  }, 60_000);
});
