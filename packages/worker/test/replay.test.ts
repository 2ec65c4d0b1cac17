import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EditHistory, unifiedDiff, type EditCase } from '@nextedit/core';
import { replaySession, typingSession } from '../src/tools/replay.js';

const fixture = fileURLToPath(new URL('../src/tools/fixtures/bench-cases.jsonl', import.meta.url));
const cases = readFileSync(fixture, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as EditCase);

describe('typingSession', () => {
  it('types the last event keystroke by keystroke, each request ending its history with the event being typed', () => {
    const c = cases.find((x) => x.id === 'fixture-complete')!;
    const session = typingSession(c, 4);
    expect(session).toHaveLength(5);
    const typedLine = '    print(f"hello {na';
    // Each keystroke adds one character at the cursor.
    expect(session[0]!.text).toContain(typedLine.slice(0, -4) + '\n');
    expect(session[3]!.text).toContain(typedLine.slice(0, -1) + '\n');
    expect(session[3]!.cursor).toBe(c.before.indexOf(typedLine) + typedLine.length - 1);
    expect(session[4]).toMatchObject({ text: c.before, cursor: c.cursor });
    // As the extension sends it: the case's earlier events, then the event being typed as an
    // EditHistory renders it (the typed text so far, against the document before the event).
    const before = c.before.replace(typedLine, '');
    const at = c.before.indexOf(typedLine);
    for (const r of session) {
      const history = new EditHistory();
      history.record(c.path, before, [{ from: at, to: at, insert: r.text.slice(at, at + r.text.length - before.length) }]);
      expect(r.events).toEqual([...c.events.slice(0, -1), history.pending()]);
    }
    expect(session[0]!.events.at(-1)).toContain('+' + typedLine.slice(0, -4) + '\n');
    expect(session[4]!.events.at(-1)).toContain('+' + typedLine + '\n');
  });

  it('falls back to the case alone when the last event cannot be located', () => {
    const c = { ...cases[0]!, events: ['--- a/x\n+++ b/x\n@@ -1,1 +1,1 @@\n-a\n+not in the file\n'] };
    expect(typingSession(c)).toHaveLength(1);
  });

  it('types only the changed lines of an event with context lines', () => {
    const before = 'a\nb\nnew line\nc\n';
    const c = { ...cases[0]!, path: 'x.ts', before, cursor: before.indexOf('c'), events: [unifiedDiff('x.ts', 'a\nb\nc\n', before)] };
    const session = typingSession(c, 3);
    expect(session.map((r) => r.text)).toEqual(['a\nb\nnew l\nc\n', 'a\nb\nnew li\nc\n', 'a\nb\nnew lin\nc\n', before]);
    expect(session[0]!.cursor).toBe(before.indexOf('new') + 5);
  });

  it('pauses before the event it types: the document without it, the earlier events settled', () => {
    const before = 'a\nb\nnew line\nc\n';
    const earlier = unifiedDiff('x.ts', 'a\nB\nc\n', 'a\nb\nc\n');
    const c = { ...cases[0]!, path: 'x.ts', before, cursor: before.indexOf('c'), events: [earlier, unifiedDiff('x.ts', 'a\nb\nc\n', before)] };
    const { paused, requests } = replaySession(c, 3);
    expect(paused).toMatchObject({ path: 'x.ts', text: 'a\nb\n\nc\n', cursor: before.indexOf('new'), events: [earlier] });
    expect(requests[0]!.text).toBe('a\nb\nnew l\nc\n');
    // No event to type: the case itself, paused with its earlier events.
    const lost = { ...c, events: [earlier, '--- a/x\n+++ b/x\n@@ -1,1 +1,1 @@\n-a\n+not in the file\n'] };
    expect(replaySession(lost).paused).toMatchObject({ text: before, events: [earlier] });
  });
});
