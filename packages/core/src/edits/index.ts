export { regionEdits } from './region-edits.js';
