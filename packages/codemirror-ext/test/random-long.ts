// The long randomized run of issue 18: >= 10,000 steps (default) through the real extension in
// Chromium, both predictors alternating, and its figures. Run from the repository root:
//   npx tsx packages/codemirror-ext/test/random-long.ts [--steps N] [--seed S]   (or RANDOM_SEED / RANDOM_STEPS)
// Exit status 1 on any violation or page error.
import { formatFigures, formatViolation, runRandom, startRandomHarness } from './random-driver.js';

const arg = (name: string) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
const steps = Number(arg('--steps') ?? process.env.RANDOM_STEPS ?? 10_000);
const seed = Number(arg('--seed') ?? process.env.RANDOM_SEED ?? Date.now() % 1_000_000);

console.log(`randomized run: ${steps} steps, seed ${seed}`);
const h = await startRandomHarness();
try {
  const fig = await runRandom(h, { seed, steps, episodeSteps: 150, progress: (m) => console.log(m) });
  console.log('\n' + formatFigures(fig));
  if (fig.violations.length) console.log('\nviolations:\n' + fig.violations.map(formatViolation).join('\n\n'));
  process.exitCode = fig.violations.length || fig.pageErrors.length ? 1 : 0;
} finally {
  await h.close();
}
