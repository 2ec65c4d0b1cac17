// The randomized test of issue 18 ("the test that keeps it so"), shared by random-browser.test.ts
// (a few hundred steps in npm test) and random-long.ts (>= 10,000 steps, prints figures).
//
// A seeded driver types, deletes, selects, moves, clicks, undoes/redoes and presses Tab, Escape and
// Mod-ArrowRight through Chromium's real keyboard and mouse, against the real extension on the
// page test/fixture/random.ts, with core's RulePredictor or a random predictor that proposes edits
// anywhere, late. After every step it checks:
//   - the document equals a shadow model: the user's own changes (each key's effect computed here by
//     CodeMirror's standard command on a plain EditorState, no extension) plus exactly the accepted
//     suggestions (transactions with userEvent input.complete, each checked in the page against the
//     suggestion shown right before it);
//   - so a suggestion's text is never in the document before it is accepted;
//   - undo/redo against a model of the undo stack (every doc change one event): one undo right after
//     an accept restores the text before it;
//   - no selection head and no suggestion edit boundary splits a surrogate pair, no suggestion is a no-op;
//   - the rendered lines equal the document's lines; no page error.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type ViteDevServer } from 'vite';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ChangeSet, EditorSelection, EditorState, type StateCommand } from '@codemirror/state';
import { deleteCharBackward, deleteCharForward, deleteGroupBackward, indentMore, insertNewline } from '@codemirror/commands';
import type { Command } from '@codemirror/view';

const here = dirname(fileURLToPath(import.meta.url));

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Harness { page: Page; pageErrors: string[]; close(): Promise<void> }

export async function startRandomHarness(): Promise<Harness> {
  const server: ViteDevServer = await createServer({
    root: join(here, 'fixture'), configFile: false, logLevel: 'error',
    // No watcher, no HMR: a concurrent edit to a source file must not reload the page mid-run.
    resolve: { conditions: ['source'] }, server: { port: 0, hmr: false, ws: false, watch: null },
  });
  await server.listen();
  const address = server.httpServer!.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const profile = mkdtempSync(join(tmpdir(), 'nextedit-random-'));
  let context: BrowserContext | undefined;
  const close = async () => {
    await context?.close();
    await server.close();
    rmSync(profile, { recursive: true, force: true });
  };
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium', headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(String(e.stack ?? e)));
    await page.goto(`http://localhost:${port}/random.html`);
    await page.waitForFunction(() => (window as any).random !== undefined, undefined, { timeout: 60_000 });
    return { page, pageErrors, close };
  } catch (e) {
    await close();
    throw e;
  }
}

export type Mode = 'rules' | 'scripted';

/** One step as done, concrete enough to replay by hand. */
export type Action =
  | { kind: 'type'; text: string; select?: [number, number] }
  | { kind: 'key'; key: string }
  | { kind: 'select'; anchor: number; head: number }
  | { kind: 'click'; x: number; y: number; clicks: number }
  | { kind: 'drag'; x: number; y: number; x2: number; y2: number }
  | { kind: 'wait'; ms: number };

export interface Violation {
  seed: number; mode: Mode; episode: number; step: number; stepInEpisode: number;
  action: Action; message: string;
  /** The episode from its start: mount(doc, anchor, head, mode, pageSeed), then the actions in order. */
  reproducer: { doc: string; anchor: number; head: number; pageSeed: number; actions: Action[]; expected?: string; actual?: string };
}

export interface Figures {
  seed: number; steps: number; episodes: number; violations: Violation[];
  /** Whole accepts (Tab) and next-word accepts (Mod-ArrowRight) applied. */
  accepts: number; wordAccepts: number; jumps: number;
  undos: number; redos: number; undosAfterAccept: number; tabIndents: number;
  /** Tab right after an Escape nothing handled: CodeMirror's focus escape (Tab leaves the editor), not the extension's. */
  tabFocusEscapes: number;
  /** Steps that began with the cursor inside a grapheme cluster (after an accept), moved out by End. */
  clusterCursors: number;
  shown: number; pageErrors: string[]; wallMs: number;
  byMode: Record<Mode, { steps: number; accepts: number }>;
}

interface Snapshot {
  text: string; focused: boolean; anchor: number; head: number; ranges: number;
  suggestion: { kind: string; edits: { from: number; to: number; insert: string }[] } | null;
  log: { userEvent: string; before: string; changes: unknown; accept?: 'full' | 'word'; kind?: string; shown?: unknown }[];
  problems: string[]; jumps: number; undoDepth: number; shown: number; requests: number;
}

const LINES = [
  'let count = 0;', 'function add(a, b) {', '  return a + b;', '}', 'const smile = "😀 smile 😀";', 'cart.add(apple);',
  'total += price * quantity;', 'console.log(total, quantity);', '// שלום עולם', 'const café = "cafe\u0301";',
  'if (count > 0) {', '  count--;', '', 'x(a); x(a);', 'end(b);', 'six(b);', 'const s = "𝒳𝒴👍🏽";', '\tindented(tab);',
  'let quantity = 1;', 'use(quantity);', 'apple.price = price;',
];
const TYPED = ['(', ')', ';', ' = ', '.', '{', '}', ', ', '"', '+'];
const ASTRAL = ['😀', '🎉', '𝒳', '👍🏽', '🇫🇷'];

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;
const splits = (text: string, pos: number) => pos > 0 && pos < text.length && isHigh(text.charCodeAt(pos - 1)) && isLow(text.charCodeAt(pos));
const snap = (text: string, pos: number) => (splits(text, pos) ? pos - 1 : pos);
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
/** The driver selects as a user can: whole graphemes (a selection inside 👍🏽 or e + U+0301 is the browser's business, not the extension's). */
function snapG(text: string, pos: number, up = false): number {
  let last = 0;
  for (const { index, segment } of graphemes.segment(text)) {
    if (index >= pos) return index === pos || up ? index : last;
    last = index;
    if (index + segment.length > pos && !up) return index;
  }
  return up ? text.length : Math.min(pos, text.length) === text.length ? text.length : last;
}

/** The effect of a standard command on a plain state (no extension): what the user's key should do. */
function byCommand(text: string, anchor: number, head: number, command: StateCommand | Command): string {
  // deleteChar* are typed as view commands but only read target.state (no atomic ranges here).
  const cmd = command as StateCommand;
  let state = EditorState.create({ doc: text, selection: EditorSelection.single(anchor, head) });
  cmd({ state, dispatch: (tr) => { state = tr.state; } });
  return state.doc.toString();
}
function replaceSelection(text: string, anchor: number, head: number, insert: string): string {
  const state = EditorState.create({ doc: text, selection: EditorSelection.single(anchor, head) });
  return state.update(state.replaceSelection(insert)).state.doc.toString();
}

export interface RunOptions {
  seed: number;
  steps: number;
  /** Which predictor each episode uses: both alternate by default. */
  modes?: Mode[];
  /** Steps per episode (a fresh document and editor each). */
  episodeSteps?: number;
  /** Stop at the first violation (the test) or go on with a fresh episode (the long run). */
  stopAtFirst?: boolean;
  progress?: (msg: string) => void;
}

export async function runRandom(h: Harness, opts: RunOptions): Promise<Figures> {
  const { page } = h;
  const rand = mulberry32(opts.seed);
  const modes = opts.modes ?? ['rules', 'scripted'];
  const episodeSteps = opts.episodeSteps ?? 150;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const int = (n: number) => Math.floor(rand() * n);
  const fig: Figures = {
    seed: opts.seed, steps: 0, episodes: 0, violations: [], accepts: 0, wordAccepts: 0, jumps: 0,
    undos: 0, redos: 0, undosAfterAccept: 0, tabIndents: 0, tabFocusEscapes: 0, clusterCursors: 0, shown: 0, pageErrors: h.pageErrors, wallMs: 0,
    byMode: { rules: { steps: 0, accepts: 0 }, scripted: { steps: 0, accepts: 0 } },
  };
  const started = Date.now();
  let seenErrors = h.pageErrors.length;

  while (fig.steps < opts.steps) {
    const mode = modes[fig.episodes % modes.length]!;
    const episode = fig.episodes++;
    // A fresh document: code-like lines with repeated names, astral, RTL, combining marks; CRLF or empty at times.
    const r0 = rand();
    const lines = Array.from({ length: 3 + int(18) }, () => pick(LINES));
    const raw = r0 < 0.05 ? '' : lines.join(r0 < 0.25 ? '\r\n' : '\n') + (rand() < 0.5 ? '\n' : '');
    let shadow = EditorState.create({ doc: raw }).doc.toString(); // CodeMirror's own line-break normalization
    const anchor = snapG(shadow, int(shadow.length + 1));
    const pageSeed = Math.floor(rand() * 2 ** 31);
    await page.evaluate(({ raw, anchor, mode, pageSeed }) => (window as any).random.mount(raw, anchor, anchor, mode, pageSeed), { raw, anchor, mode, pageSeed });
    const box = (await page.locator('.cm-scroller').boundingBox())!;
    const actions: Action[] = [];
    let snapshot = await check(page);
    // Undo model: every doc change is one event ([before, after]); redo holds what undo took back.
    const done: [string, string][] = [];
    const undone: [string, string][] = [];
    let lastWasAccept = false;
    let escapedAt = 0;

    for (let i = 0; i < episodeSteps && fig.steps < opts.steps; i++) {
      const step = fig.steps++;
      fig.byMode[mode].steps++;
      const { text, anchor: a, head } = snapshot;
      const from = Math.min(a, head), to = Math.max(a, head);
      const sug = snapshot.suggestion;
      let action: Action;
      /** What the user's own key should do to the text; undefined: Tab/undo/redo, decided below. */
      let expected: string | undefined = text;
      const r = rand();
      const randomText = () => {
        const k = rand();
        if (k < 0.3) return Array.from({ length: 1 + int(4) }, () => pick('abcqxyz_'.split(''))).join('');
        if (k < 0.5) { const words = text.match(/[\p{L}\p{N}_$]+/gu); return words ? pick(words) + pick(['', 'X', '2']) : 'w'; }
        if (k < 0.62) return pick(ASTRAL);
        if (k < 0.66) return 'e\u0301';
        if (k < 0.7) return 'שלום';
        if (k < 0.85) return pick(TYPED);
        if (k < 0.93) return ' ';
        return 'a\nb';
      };
      if (lastWasAccept && rand() < 0.4) action = { kind: 'key', key: 'Control+z' };
      // An accept can leave the cursor inside a grapheme cluster (its text began with a combining
      // mark or 🏽); Chrome types at the cluster's edge there, not at CodeMirror's cursor. Move on first.
      else if (snapG(text, a) !== a || snapG(text, head) !== head) { action = { kind: 'key', key: 'End' }; fig.clusterCursors++; }
      // Something is shown: Tab it (accept, or jump then accept) more often than chance would.
      else if (sug && rand() < 0.3) { action = { kind: 'key', key: 'Tab' }; expected = undefined; }
      else if (r < 0.26) {
        let t: string;
        // Typing through a ghost: a prefix of what it shows (whole code points, no tab).
        if (sug?.kind === 'ghost' && rand() < 0.4) {
          const cps = Array.from(sug.edits[0]!.insert.replace(/\t/g, ' '));
          t = cps.slice(0, 1 + int(Math.min(5, cps.length))).join('');
        } else t = randomText();
        if (from !== to && text.slice(from, to) === t) t += 'z';
        action = { kind: 'type', text: t };
        expected = replaceSelection(text, a, head, t);
      } else if (r < 0.31) {
        // Replace: select a name (or any range) and type over it, as a rename does.
        const names = [...text.matchAll(/[\p{L}_$][\p{L}\p{N}_$]*/gu)];
        const m = names.length ? pick(names) : undefined;
        const sel: [number, number] = m && rand() < 0.8 ? [snapG(text, m.index!), snapG(text, m.index! + m[0].length, true)] : [snapG(text, int(text.length + 1)), snapG(text, int(text.length + 1))];
        let t = rand() < 0.5 && m ? Array.from(m[0]).slice(0, 1 + int(Array.from(m[0]).length)).join('') + pick(['', 'y', 'Total']) : randomText();
        if (text.slice(Math.min(...sel), Math.max(...sel)) === t) t += 'z';
        action = { kind: 'type', text: t, select: sel };
        expected = replaceSelection(text, sel[0], sel[1], t);
      } else if (r < 0.35) { action = { kind: 'key', key: 'Enter' }; expected = byCommand(text, a, head, insertNewline); }
      else if (r < 0.42) { action = { kind: 'key', key: 'Backspace' }; expected = byCommand(text, a, head, deleteCharBackward); }
      else if (r < 0.46) { action = { kind: 'key', key: 'Delete' }; expected = byCommand(text, a, head, deleteCharForward); }
      else if (r < 0.47) { action = { kind: 'key', key: 'Control+Backspace' }; expected = byCommand(text, a, head, deleteGroupBackward); }
      else if (r < 0.57) { action = { kind: 'key', key: 'Tab' }; expected = undefined; }
      else if (r < 0.59) action = { kind: 'key', key: 'Escape' };
      else if (r < 0.63) action = { kind: 'key', key: 'Control+ArrowRight' };
      else if (r < 0.64) action = { kind: 'key', key: 'Alt+\\' };
      else if (r < 0.69) { action = { kind: 'key', key: 'Control+z' }; expected = undefined; }
      else if (r < 0.72) { action = { kind: 'key', key: pick(['Control+Shift+KeyZ', 'Control+y']) }; expected = undefined; }
      else if (r < 0.8) action = { kind: 'key', key: pick(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'Control+Home', 'Control+End', 'Control+ArrowLeft', 'PageDown']) };
      else if (r < 0.85) action = { kind: 'key', key: pick(['Shift+ArrowLeft', 'Shift+ArrowRight', 'Shift+ArrowUp', 'Shift+ArrowDown', 'Shift+End', 'Control+Shift+ArrowLeft', 'Control+a']) };
      else if (r < 0.88) action = { kind: 'select', anchor: snapG(text, int(text.length + 1)), head: snapG(text, int(text.length + 1)) };
      else if (r < 0.92) action = { kind: 'click', x: box.x + 4 + rand() * (box.width - 8), y: box.y + 4 + rand() * (box.height - 8), clicks: rand() < 0.2 ? 2 : 1 };
      else if (r < 0.94) {
        action = { kind: 'drag', x: box.x + 4 + rand() * (box.width - 8), y: box.y + 4 + rand() * (box.height - 8), x2: box.x + 4 + rand() * (box.width - 8), y2: box.y + 4 + rand() * (box.height - 8) };
        // Pressing inside a selection and dragging moves the text (drag and drop): start from a cursor.
        if (from !== to) await page.evaluate(() => { const v = (window as any).random.view; v.dispatch({ selection: { anchor: v.state.selection.main.head } }); });
      } else action = { kind: 'wait', ms: 60 + int(200) };
      actions.push(action);

      await perform(page, action);
      // CodeMirror's focus escape: an Escape no command handled arms Tab to leave the editor for 2 s;
      // any other keydown (not Tab) disarms it. Text that arrives without a keydown (insertText: emoji,
      // RTL, combining marks, as from an IME) leaves it armed.
      if (action.kind === 'key' && action.key === 'Escape') escapedAt = Date.now();
      else if ((action.kind === 'key' && action.key !== 'Tab') || (action.kind === 'type' && /[\x20-\x7e\n]/.test(action.text))) escapedAt = 0;
      // Sometimes give the predictor time to answer (and its late answers time to arrive).
      if (action.kind === 'type' && action.select && rand() < 0.6) await page.waitForTimeout(40 + int(80)); // a rename: let the rules answer
      else if (action.kind !== 'wait' && rand() < 0.3) await page.waitForTimeout(int(120));
      const next = await check(page);
      const problems = [...next.problems];
      if (h.pageErrors.length > seenErrors) {
        problems.push(...h.pageErrors.slice(seenErrors).map((e) => `page error: ${e}`));
        seenErrors = h.pageErrors.length;
      }
      const accepts = next.log.filter((e) => e.userEvent === 'input.complete');
      const own = next.log.filter((e) => e.userEvent !== 'input.complete');
      const isKey = (k: string) => action.kind === 'key' && action.key === k;
      if (isKey('Control+z') && next.log.some((e) => e.userEvent === 'redo')) problems.push('undo key ran redo');
      if (isKey('Control+y') || isKey('Control+Shift+KeyZ')) if (next.log.some((e) => e.userEvent === 'undo')) problems.push('redo key ran undo');
      if (accepts.length && !(isKey('Tab') || isKey('Control+ArrowRight'))) problems.push(`an accept (input.complete) on ${JSON.stringify(action)}`);
      if (accepts.length > 1) problems.push(`${accepts.length} accepts for one key`);
      let accepted = false;
      let refocused = false;
      if (accepts.length === 1 && own.length === 0) {
        const e = accepts[0]!;
        if (e.before !== text) problems.push('the accept started from a text other than the shadow');
        expected = ChangeSet.fromJSON(e.changes).apply(EditorState.create({ doc: text }).doc).toString();
        accepted = true;
        if (e.accept === 'word') fig.wordAccepts++; else fig.accepts++;
        fig.byMode[mode].accepts++;
      } else if (isKey('Tab')) {
        if (accepts.length) problems.push('Tab both accepted and changed the text otherwise');
        else if (own.length) { expected = byCommand(text, a, head, indentMore); fig.tabIndents++; }
        else if (next.jumps) { expected = text; fig.jumps++; }
        else if (!next.focused && escapedAt && Date.now() - escapedAt < 2500) {
          // CodeMirror: Tab within 2 s of an Escape that no command handled moves focus out of the editor.
          expected = text; fig.tabFocusEscapes++; refocused = true;
          await page.evaluate(() => (window as any).random.focus());
        } else { expected = text; problems.push(`Tab did nothing (focused: ${next.focused}; shown before the step: ${JSON.stringify(sug)})`); }
      } else if (isKey('Control+z')) {
        const top = done.at(-1);
        expected = top ? top[0] : text;
        fig.undos++;
        if (lastWasAccept && top) fig.undosAfterAccept++;
      } else if (action.kind === 'key' && (action.key === 'Control+Shift+KeyZ' || action.key === 'Control+y')) {
        const top = undone.at(-1);
        expected = top ? top[1] : text;
        fig.redos++;
      }
      if (next.text !== expected) {
        problems.push(`document differs from the shadow model (user's changes + accepted suggestions):\n  expected ${JSON.stringify(expected)}\n  actual   ${JSON.stringify(next.text)}\n  transactions ${JSON.stringify(next.log.map((e) => ({ userEvent: e.userEvent, changes: e.changes, accept: e.accept, kind: e.kind, shown: e.shown })))}`);
      }
      // The undo model: every doc-changing transaction is one event (newGroupDelay 0 in the page).
      for (const e of next.log) {
        if (e.userEvent === 'undo') { const ev = done.pop(); if (ev) undone.push(ev); }
        else if (e.userEvent === 'redo') { const ev = undone.pop(); if (ev) done.push(ev); }
        else { done.push([e.before, ChangeSet.fromJSON(e.changes).apply(EditorState.create({ doc: e.before }).doc).toString()]); undone.length = 0; }
      }
      if (!next.focused && !refocused) problems.push('the editor lost focus');
      if (next.undoDepth < done.length) problems.push(`the editor's undo depth ${next.undoDepth} is below the model's ${done.length}`);
      lastWasAccept = accepted && expected !== text;
      snapshot = next;
      if (problems.length) {
        const v: Violation = {
          seed: opts.seed, mode, episode, step, stepInEpisode: i, action, message: problems.join('\n'),
          reproducer: { doc: raw, anchor, head: anchor, pageSeed, actions: actions.slice(), expected: expected!, actual: next.text },
        };
        fig.violations.push(v);
        opts.progress?.(formatViolation(v));
        if (opts.stopAtFirst) { fig.wallMs = Date.now() - started; return fig; }
        break; // a fresh episode: after a divergence the shadow means nothing
      }
    }
    fig.shown += snapshot.shown;
    if (episode % 10 === 9) opts.progress?.(`… ${fig.steps} steps, ${fig.episodes} episodes, ${fig.violations.length} violations, ${fig.accepts + fig.wordAccepts} accepts, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  fig.wallMs = Date.now() - started;
  return fig;
}

async function check(page: Page): Promise<Snapshot> {
  return page.evaluate(() => (window as any).random.check());
}

async function perform(page: Page, action: Action) {
  switch (action.kind) {
    case 'type':
      if (action.select) await page.evaluate(([a, h]) => (window as any).random.select(a, h), action.select);
      // A cluster of several code points (🇫🇷, 👍🏽, e + U+0301) arrives whole, as from an IME or emoji picker.
      for (const { segment } of graphemes.segment(action.text)) {
        if (Array.from(segment).length > 1) await page.keyboard.insertText(segment);
        else await page.keyboard.type(segment);
      }
      break;
    case 'key': await page.keyboard.press(action.key); break;
    case 'select': await page.evaluate(([a, h]) => (window as any).random.select(a, h), [action.anchor, action.head]); break;
    case 'click': await page.mouse.click(action.x, action.y, { clickCount: action.clicks }); break;
    case 'drag':
      await page.mouse.move(action.x, action.y);
      await page.mouse.down();
      await page.mouse.move(action.x2, action.y2, { steps: 3 });
      await page.mouse.up();
      break;
    case 'wait': await page.waitForTimeout(action.ms); break;
  }
}

export function formatViolation(v: Violation): string {
  return [
    `VIOLATION seed=${v.seed} mode=${v.mode} episode=${v.episode} step=${v.step} (step ${v.stepInEpisode} of the episode), action ${JSON.stringify(v.action)}`,
    v.message,
    `reproducer: mount(${JSON.stringify(v.reproducer.doc)}, ${v.reproducer.anchor}, ${v.reproducer.head}, '${v.mode}', ${v.reproducer.pageSeed}) then the last actions:`,
    ...v.reproducer.actions.slice(-25).map((a, i, xs) => `  ${v.reproducer.actions.length - xs.length + i}: ${JSON.stringify(a)}`),
    `rerun: RANDOM_SEED=${v.seed} npx tsx packages/codemirror-ext/test/random-long.ts --steps ${v.step + 1} (timing-dependent answers may differ)`,
  ].join('\n');
}

export function formatFigures(f: Figures): string {
  return [
    `seed ${f.seed}`,
    `steps ${f.steps} (rules ${f.byMode.rules.steps}, scripted ${f.byMode.scripted.steps}) in ${f.episodes} episodes`,
    `violations ${f.violations.length}`,
    `accepts ${f.accepts} whole (Tab) + ${f.wordAccepts} next-word (Mod-ArrowRight); rules ${f.byMode.rules.accepts}, scripted ${f.byMode.scripted.accepts}`,
    `jumps ${f.jumps}, Tab indents ${f.tabIndents}, Tab focus escapes after Escape ${f.tabFocusEscapes}, suggestions shown ${f.shown}`,
    `cursor inside a grapheme cluster after an accept: ${f.clusterCursors} times`,
    `undos checked ${f.undos} (${f.undosAfterAccept} right after an accept), redos ${f.redos}`,
    `page errors ${f.pageErrors.length}`,
    `wall time ${(f.wallMs / 1000).toFixed(1)} s (${(f.wallMs / Math.max(1, f.steps)).toFixed(1)} ms/step)`,
  ].join('\n');
}
