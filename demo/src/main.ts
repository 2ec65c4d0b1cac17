import { basicSetup } from './setup.js';
import { Compartment, EditorState, type Extension } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { javascript } from '@codemirror/lang-javascript';
import { python } from '@codemirror/lang-python';
import { oneDark } from '@codemirror/theme-one-dark';
import { indentUnit } from '@codemirror/language';
import { nextEdit, nextEditStats } from '@nextedit/codemirror';
import {
  DEFAULT_VERIFIER_FLOOR,
  EditHistory,
  FallbackPredictor,
  RulePredictor,
  type LoadProgress,
  type PredictorStatus,
} from '@nextedit/core';
import { starterFiles, type DemoFile } from './files.js';
import { SwitchPredictor } from './switch-predictor.js';
import { StatsPanel } from './stats-panel.js';
import { bundledModel, loadModel, type LoadedModel, type ModelChoice } from './model-loader.js';
import { playReplay } from './replay.js';
import { replays } from './replays/index.js';
import { capturePanel } from './capture-panel.js';

const $ = <T extends HTMLElement>(sel: string) => document.querySelector<T>(sel)!;
const params = new URLSearchParams(location.search);
const statusEl = $('#status');

const stats = new StatsPanel($('#stats'), $('#chart'));
const rules = new RulePredictor();
// Behind a model, only the rule guesses the rule verifier trusts: the model's calibrated floor
// would mean little if every guess it held back were shown anyway.
const verifiedRules = new RulePredictor({ minProbability: DEFAULT_VERIFIER_FLOOR });
// One history across tabs (the extension sends the event being typed too).
const history = new EditHistory();
let model: LoadedModel | undefined;
const predictor = new SwitchPredictor(rules, (s, p) => {
  stats.record(s);
  if (debugBox.checked) showDebug(p.debug);
});
// Off until the user ticks "record my edits"; ?settle=<ms> shortens the pause (tests).
const capture = capturePanel($('#capture'), $('#download-data'), Number(params.get('settle') ?? 10_000));
const editorPredictor = capture.wrap(predictor);

// --- status bar --------------------------------------------------------------
function setStatus(s: PredictorStatus, label: string): void {
  statusEl.dataset.state = s.state === 'idle' ? 'ready' : s.state;
  if (s.backend) statusEl.dataset.backend = s.backend;
  else delete statusEl.dataset.backend;
  statusEl.textContent = s.state === 'error' ? `error: ${s.error ?? 'unknown'} — ${label} still active`
    : s.state === 'loading' ? `loading ${label}…`
    : `ready — ${label}${s.backend ? ` on ${s.backend}` : ''}${s.threads ? `, ${s.threads} thread${s.threads > 1 ? 's' : ''}` : ''}${s.backendReason ? ` (${s.backendReason})` : ''}${s.draft === 'loading' ? ' · draft loading' : ''}`;
}

// --- editor and tabs -----------------------------------------------------------
const docs = new Map<string, EditorState>();
let current = starterFiles[0]!;
const throttle = new Compartment();
const throttleInput = $<HTMLInputElement>('#throttle');
const enabledBox = $<HTMLInputElement>('#enabled');
if (params.has('throttle')) throttleInput.value = params.get('throttle')!;

// Under a strict CSP (style-src with a nonce) the page names its nonce as Vite's html.cspNonce writes it,
// <meta property="csp-nonce" nonce="...">: CodeMirror's <style> (its themes and the extension's) carries it.
const cspNonce = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce;

function extensions(file: DemoFile): Extension[] {
  return [
    basicSetup, oneDark,
    cspNonce ? EditorView.cspNonce.of(cspNonce) : [],
    file.language === 'python' ? python() : javascript({ typescript: file.language === 'typescript' }),
    // Tab with no suggestion indents by this (PEP 8's four spaces in Python).
    indentUnit.of(file.language === 'python' ? '    ' : '  '),
    throttle.of(nextEditFor(file)),
    // Suggestions shown, accepted and rejected are counted by the extension (nextEditStats); redraw when they may change.
    EditorView.updateListener.of((u) => { if (u.transactions.some((tr) => tr.effects.length > 0)) stats.render(); }),
    EditorView.updateListener.of((u) => { if (u.docChanged && capture.enabled) capture.edited(file.path, u.state.doc.toString()); }),
  ];
}

function nextEditFor(file: DemoFile): Extension {
  return nextEdit({
      predictor: editorPredictor,
      history,
      path: () => current.path,
      language: file.language,
      throttleMs: Number(throttleInput.value),
      // Off: nothing is requested and what is shown goes at once (the extension's own switch).
      enabled: enabledBox.checked,
      relatedFiles: () => starterFiles.filter((f) => f !== current).map((f) => ({ path: f.path, text: textOf(f) })),
      onJumpToFile: (path, pos) => openTab(path, pos),
      onShow: (p) => capture.shown(p),
      onAccept: (p) => capture.decided(p, true),
      onReject: (p) => capture.decided(p, false),
  });
}

function textOf(f: DemoFile): string {
  if (f === current) return view.state.doc.toString();
  return docs.get(f.path)?.doc.toString() ?? f.text;
}

const view = new EditorView({ parent: $('#editor'), state: EditorState.create({ doc: current.text, extensions: extensions(current) }) });
docs.set(current.path, view.state);
// Every tab's editor state keeps its own counts; the panel shows their sum.
const openStates = () => [view.state, ...[...docs].filter(([path]) => path !== current.path).map(([, st]) => st)];
stats.decisions = () => openStates().map(nextEditStats).reduce(
  (sum, s) => ({ shown: sum.shown + s.shown, accepted: sum.accepted + s.accepted, rejected: sum.rejected + s.rejected }),
  { shown: 0, accepted: 0, rejected: 0 },
);

const tabs = $('#tabs');
for (const f of starterFiles) {
  const b = document.createElement('button');
  b.textContent = f.path;
  b.dataset.path = f.path;
  b.setAttribute('role', 'tab');
  b.onclick = () => openTab(f.path);
  tabs.append(b);
}

export function openTab(path: string, pos?: number): void {
  const f = starterFiles.find((x) => x.path === path);
  if (!f) return;
  docs.set(current.path, view.state);
  current = f;
  view.setState(docs.get(path) ?? EditorState.create({ doc: f.text, extensions: extensions(f) }));
  if (pos !== undefined) view.dispatch({ selection: { anchor: Math.min(pos, view.state.doc.length) }, scrollIntoView: true });
  for (const b of tabs.querySelectorAll('button')) b.setAttribute('aria-selected', String(b.dataset.path === path));
  view.focus();
}
openTab(current.path);

// --- settings ------------------------------------------------------------------
/** The extension reads its config live: reconfiguring it in every open tab applies new settings at once. */
function reconfigure(): void {
  view.dispatch({ effects: throttle.reconfigure(nextEditFor(current)) });
  for (const [path, st] of docs) {
    const f = starterFiles.find((x) => x.path === path)!;
    if (f !== current) docs.set(path, st.update({ effects: throttle.reconfigure(nextEditFor(f)) }).state);
  }
}
throttleInput.onchange = reconfigure;
enabledBox.onchange = reconfigure;
const debugBox = $<HTMLInputElement>('#show-debug');
const debugEl = $('#debug');
function showDebug(d: { prompt?: string; output?: string } | undefined): void {
  debugEl.hidden = !debugBox.checked;
  debugEl.textContent = d ? `--- prompt ---\n${d.prompt ?? '(none)'}\n--- raw output ---\n${d.output ?? '(none)'}` : '(the last prediction carried no debug info)';
}
debugBox.onchange = () => showDebug(predictor.last?.debug);

// --- replay --------------------------------------------------------------------
const replaySelect = $<HTMLSelectElement>('#replay');
replays.forEach((r, i) => replaySelect.add(new Option(r.name, String(i))));
const playButton = $<HTMLButtonElement>('#play');
playButton.onclick = () => {
  const r = replays[Number(replaySelect.value)]!;
  openTab(r.file);
  playButton.disabled = true;
  void playReplay(view, r).finally(() => { playButton.disabled = false; });
};

// --- model panel ---------------------------------------------------------------
const progressEl = $<HTMLProgressElement>('#progress');
const progressFile = $('#progress-file');
const errorEl = $('#model-error');
const files = new Map<string, LoadProgress>();
// Once the model answers, the bar is full: its draft loads after it (the status says so).
let modelReady = false;
function onProgress(p: LoadProgress): void {
  if (modelReady) return;
  files.set(p.file, p);
  let loaded = 0, total = 0;
  for (const f of files.values()) { loaded += f.loaded; total += f.total; }
  // Files still unannounced would make a full bar a lie: it reaches the end only when ready.
  progressEl.value = total ? 0.95 * (loaded / total) : 0;
  progressFile.textContent = `${p.file}: ${(p.loaded / 1e6).toFixed(1)} / ${(p.total / 1e6).toFixed(1)} MB`;
}

async function load(choice: ModelChoice | 'rules', label: string): Promise<void> {
  errorEl.hidden = true;
  if (choice === 'rules') {
    model = undefined;
    predictor.active = rules;
    progressEl.value = 1;
    return setStatus({ state: 'ready', backend: 'rules' }, 'rule-based baseline');
  }
  const previous = model ? 'the previous model' : 'the rule-based baseline';
  files.clear();
  modelReady = false;
  progressEl.value = 0;
  setStatus({ state: 'loading' }, label);
  try {
    const next = await loadModel(choice, onProgress);
    const old = model;
    model = next;
    // The model first; when it holds back an unsure guess, the verified rule
    // baseline may still have one (each suggestion's stats say which made it).
    predictor.active = new FallbackPredictor(next.predictor, verifiedRules);
    void old?.predictor.dispose?.();
    modelReady = true;
    progressEl.value = 1;
    progressFile.textContent = '';
    setStatus({ ...next.status(), state: 'ready' }, label);
    // Later changes (a worker crash and restart) show too, while this model is active.
    next.predictor.onStatus?.((s) => { if (model === next) setStatus(s, label); });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    progressEl.value = 0;
    progressFile.textContent = '';
    errorEl.hidden = false;
    errorEl.textContent = `Could not load ${label}: ${msg}\nStill using ${previous}.`;
    setStatus({ state: 'error', error: msg }, previous);
    // Amber, not red: the load failed but the previous predictor still works.
    statusEl.dataset.state = 'fallback';
  }
}

const dtypeEl = $<HTMLSelectElement>('#dtype');
const deviceEl = $<HTMLSelectElement>('#device');
if (params.get('device')) deviceEl.value = params.get('device')!;
if (params.get('dtype')) dtypeEl.value = params.get('dtype')!;
const floorEl = $<HTMLSelectElement>('#min-confidence');
if (params.get('minConfidence') !== null) floorEl.value = params.get('minConfidence')!;
const choice = (m: string | { model: string; draft?: string }): ModelChoice => ({
  ...(typeof m === 'string' ? { model: m } : m),
  dtype: dtypeEl.value as ModelChoice['dtype'],
  device: deviceEl.value as ModelChoice['device'],
  ...(floorEl.value !== '' ? { minConfidence: Number(floorEl.value) } : {}),
});

$<HTMLFormElement>('#model-form').onsubmit = (ev) => {
  ev.preventDefault();
  const src = new FormData(ev.target as HTMLFormElement).get('src');
  if (src === 'rules') return void load('rules', 'rule-based baseline');
  if (src === 'url') { const m = $<HTMLInputElement>('#model-url').value.trim(); return void load(choice(m), m); }
  void bundledModel().then((m) => load(choice(m), 'bundled model'), (e: Error) => load(choice('/models/missing'), e.message));
};

// Start: ?predictor=rules, or the bundled model when the worker is available.
const initial = params.get('predictor') ?? 'model';
if (initial === 'rules') {
  $<HTMLInputElement>('input[value=rules]').checked = true;
  void load('rules', 'rule-based baseline');
} else if (params.get('model')) {
  $<HTMLInputElement>('input[value=url]').checked = true;
  $<HTMLInputElement>('#model-url').value = params.get('model')!;
  void load(choice(params.get('model')!), params.get('model')!);
} else {
  void bundledModel().then((m) => load(choice(m), 'bundled model'), (e: Error) => {
    setStatus({ state: 'error', error: e.message }, 'rule-based baseline');
    statusEl.dataset.state = 'fallback';
  });
}

// For tests and the curious.
Object.assign(window, { nextedit: { view: () => view, openTab, predictor, stats, capture, modelStats: () => model?.stats() } });
