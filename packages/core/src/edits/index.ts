export { regionEdits } from './region-edits.js';
export { JUMP_LINES, cursorAfter, isJump, lineNumberAt, placeEdits } from './placement.js';
export { applyEdits } from './apply.js';
