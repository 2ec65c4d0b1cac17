import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { percentile, type PredictionStats } from '@nextedit/core';

/** Aggregates prediction stats across tabs and draws latency over time. */
export class StatsPanel {
  private latencies: number[] = [];
  private xs: number[] = [];
  private tokens = 0;
  private genMs = 0;
  private prompt = 0;
  private cached = 0;
  private proposed = 0;
  private accepted = 0;
  /** Who made the last prediction: the model (on which backend) or the rule baseline. */
  private by = '–';
  /** Suggestions shown, accepted and rejected: the editors' own counts (nextEditStats). */
  decisions: () => { shown: number; accepted: number; rejected: number } = () => ({ shown: 0, accepted: 0, rejected: 0 });
  private plot: uPlot;

  constructor(private el: HTMLElement, chart: HTMLElement) {
    this.plot = new uPlot({
      width: 300, height: 140, legend: { show: false },
      scales: { x: { time: false } },
      series: [{}, { label: 'latency ms', stroke: '#4fa3ff', width: 1.5, points: { size: 4 } }],
      // Whole-number request ticks; a y axis wide enough for '1000'.
      axes: [{ stroke: '#aaa', incrs: [1, 2, 5, 10, 20, 50, 100], values: (_u, ticks) => ticks.map(String) }, { stroke: '#aaa', size: 52 }],
    }, [[], []], chart);
    this.render();
  }

  record(s: PredictionStats): void {
    this.latencies.push(s.latencyMs);
    this.xs.push(this.xs.length + 1);
    this.tokens += s.generatedTokens;
    this.genMs += s.latencyMs;
    this.prompt += s.promptTokens;
    this.cached += s.cachedTokens;
    this.proposed += s.draftProposed;
    this.accepted += s.draftAccepted;
    this.by = s.backend === 'rules' ? 'rule baseline' : `model (${s.backend ?? '?'})`;
    this.render();
  }

  private frame = 0;
  private html = '';
  private plotted = 0;

  /**
   * Redraw at the next frame, once however many updates come before it: writing the panel
   * on every editor transaction forced the page's layout each time the editor measured.
   */
  render(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private draw(): void {
    const q = (p: number) => (this.latencies.length ? percentile(this.latencies, p) : NaN);
    const pct = (a: number, b: number) => (b ? `${Math.round((100 * a) / b)}%` : '–');
    const ms = (v: number) => (Number.isNaN(v) ? '–' : `${v.toFixed(v < 10 ? 1 : 0)} ms`);
    const { shown, accepted, rejected } = this.decisions();
    const rows: [string, string, string][] = [
      ['p50', 'latency p50', ms(q(50))],
      ['p95', 'latency p95', ms(q(95))],
      ['tps', 'tokens/s', this.tokens && this.genMs ? (this.tokens / (this.genMs / 1000)).toFixed(1) : '–'],
      ['cache', 'prompt from KV cache', pct(this.cached, this.prompt)],
      ['spec', 'speculative acceptance', pct(this.accepted, this.proposed)],
      ['shown', 'suggestions shown', String(shown)],
      ['accepted', 'accepted', String(accepted)],
      ['rate', 'acceptance rate', pct(accepted, accepted + rejected)],
      ['count', 'predictions', String(this.latencies.length)],
      ['by', 'last made by', this.by],
    ];
    const html = rows.map(([id, label, v]) => `<dt>${label}</dt><dd data-stat="${id}">${v}</dd>`).join('');
    if (html !== this.html) this.el.innerHTML = this.html = html;
    if (this.plotted !== this.latencies.length) {
      this.plotted = this.latencies.length;
      this.plot.setData([this.xs.slice(-100), this.latencies.slice(-100)]);
    }
  }
}
