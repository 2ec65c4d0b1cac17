// Big documents in real Chromium (issue 18 item 1): typing into a 5 MB file and into a 1 MB
// single line with the RulePredictor keeps the document exact and the suggestions working.
// Behaviour only; the timings are big-document-bench.ts's to print (this machine's load varies).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenario, startHarness, type Harness } from './big-document-harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

describe('big documents in Chromium', () => {
  it('types into a 5 MB document: the text is exact, the rename is suggested and accepted, no page error', async () => {
    const r = await runScenario(h.page, 'lines', 5_000_000);
    expect(r.bytes).toBeGreaterThan(4_900_000);
    expect(r.docCorrect).toBe(true);
    expect(r.suggested).toBe(true);
    expect(r.errors).toEqual([]);
    expect(h.pageErrors).toEqual([]);
  }, 180_000);

  it('types into a 1 MB single line: the text is exact, the rename is suggested and accepted, no page error', async () => {
    const r = await runScenario(h.page, 'line', 1_000_000);
    expect(r.bytes).toBeGreaterThan(990_000);
    expect(r.docCorrect).toBe(true);
    expect(r.suggested).toBe(true);
    expect(r.errors).toEqual([]);
    expect(h.pageErrors).toEqual([]);
  }, 180_000);
});
