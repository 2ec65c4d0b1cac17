// The Python BPE (models/train/tokenizer.py, used for training data) and
// transformers.js (used at inference) must produce identical ids for the same text.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AutoTokenizer, env } from '@huggingface/transformers';

const modelsDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const script = join(modelsDir, 'train', 'tokenizer.py');
const python = '/usr/bin/python3';

const SAMPLES: string[] = [
  'export function add(a: number, b: number): number {\n  return a + b;\n}\n',
  'def greet(name):\n    """Say hi."""\n    print(f"héllo {name} 👋")\n',
  'const x = 1234567;\r\nlet y_$z = x >>> 2; // CRLF line\r\n',
  '<|file|>src/a.ts\n<|suffix|>}\n<|history|>--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1,1 +1,1 @@\n-a\n+b\n<|prefix|>x<|region|>fo<|cursor|>o<|/region|><|answer|>foo<|/region|>',
  '\t\tindent\t\n    \n\n\n  trailing   \n',
  'naïve 日本語のコード ΑΒΓ ±²³ 🚀🚀 ​zero-width',
  'a\rb\r\r\nc\f\vd',
  '<|no_edit|><|endoftext|><|pad|>',
  "x=>({...a,[b]:c?.d??e}) || !f && g !== 'h';",
  '',
  // A real, longer file: this test's own source.
  readFileSync(fileURLToPath(import.meta.url), 'utf8'),
];

function python_(cmd: 'encode' | 'decode', input: unknown): unknown {
  const r = spawnSync(python, [script, cmd], { input: JSON.stringify(input), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tokenizer.py ${cmd} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe.skipIf(!existsSync(python) || !existsSync(join(modelsDir, 'tokenizer', 'tokenizer.json')))(
  'tokenizer parity (Python BPE vs transformers.js)',
  () => {
    it('encodes and decodes identically and round-trips exactly', async () => {
      env.allowLocalModels = true;
      env.allowRemoteModels = false;
      env.localModelPath = modelsDir + '/';
      const tok = await AutoTokenizer.from_pretrained('tokenizer');
      const pyIds = python_('encode', SAMPLES) as number[][];
      const pyText = python_('decode', pyIds) as string[];
      SAMPLES.forEach((text, i) => {
        const jsIds = Array.from(tok.encode(text, { add_special_tokens: false }));
        expect(jsIds, JSON.stringify(text)).toEqual(pyIds[i]);
        // transformers.js refuses to decode an empty id list.
        if (jsIds.length > 0) expect(tok.decode(jsIds, { skip_special_tokens: false })).toBe(text);
        expect(pyText[i]).toBe(text);
      });
      // Special tokens are single ids, and code compresses well below one token per char.
      expect(tok.encode('<|cursor|>', { add_special_tokens: false })).toEqual([5]);
      const code = SAMPLES[0]!;
      expect(pyIds[0]!.length).toBeLessThan(code.length / 2);
    });
  },
);
