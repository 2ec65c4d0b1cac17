// Figures for big documents (issue 18 item 1), printed, not asserted (the machine's load varies):
// keystroke-to-screen p50/max and the longest main-thread long task while typing, in Chromium,
// with the RulePredictor, on a ~5 MB document of short lines, a ~1 MB single line and a
// 67 KB file full of NUL bytes.
//   npx tsx --conditions=source packages/codemirror-ext/test/big-document-bench.ts [runs]
import { percentile, runScenario, startHarness, type DocKind } from './big-document-harness.js';

const runs = Number(process.argv[2] ?? 1);
const h = await startHarness();
try {
  const cases: [string, DocKind, number][] = [['5 MB, short lines', 'lines', 5_000_000], ['1 MB, one line', 'line', 1_000_000], ['67 KB, NUL bytes', 'nul', 67_000]];
  for (const [name, kind, bytes] of cases) {
    for (let r = 0; r < runs; r++) {
      const res = await runScenario(h.page, kind, bytes);
      console.log(
        `${name} (${(res.bytes / 1e6).toFixed(2)} MB): keystroke-to-screen p50 ${percentile(res.latencies, 50).toFixed(0)} ms, ` +
          `max ${Math.max(...res.latencies).toFixed(0)} ms over ${res.latencies.length} keys; longest long task ${res.longestTaskMs.toFixed(0)} ms; ` +
          `suggestion shown+accepted: ${res.suggested}; document correct: ${res.docCorrect}; page errors: ${res.errors.length + h.pageErrors.length}`,
      );
    }
  }
} finally {
  await h.close();
}
