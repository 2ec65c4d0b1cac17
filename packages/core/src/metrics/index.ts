export { deltaChrF } from './chrf.js';
export { exactLines } from './exact-lines.js';
export { reversalRatio, keptRate } from './reversal.js';
export { charDistance } from './char-distance.js';
export { percentile } from './percentile.js';
