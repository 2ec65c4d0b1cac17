export * from './types.js';
export { registerPromptFormat, getPromptFormat, listPromptFormats, BUILTIN_PROMPT_FORMATS } from './registry.js';
export { nativeFormat, NATIVE_TOKENS } from './native.js';
export { nativeV2Format, NATIVE_V2_TOKENS, blockToken, chooseBlocks, MAX_BLOCKS, BLOCK_LINES, DEFAULT_V2_BUDGET } from './native-v2.js';
export { nativeV3Format, DEFAULT_V3_BUDGET, HOME_RESERVE } from './native-v3.js';
export { zeta1Format, ZETA1_TOKENS, DEFAULT_ZETA1_BUDGET, zeta1Ranges } from './zeta1.js';
export { sweepFormat, SWEEP_TOKENS, SWEEP_WINDOW_LINES, DEFAULT_SWEEP_BUDGET, sweepWindow } from './sweep.js';
export { alignedPositions, continuePositions, placeAfter, sequentialPositions, type NextPosition, type PositionMarkers } from './positions.js';
export { MemoTokenizer } from './memo-tokenizer.js';
