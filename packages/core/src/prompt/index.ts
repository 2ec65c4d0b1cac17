export * from './types.js';
export { registerPromptFormat, getPromptFormat, listPromptFormats } from './registry.js';
export { nativeFormat, NATIVE_TOKENS } from './native.js';
export { zeta1Format, ZETA1_TOKENS } from './zeta1.js';
export { alignedPositions, continuePositions, sequentialPositions, type PositionMarkers } from './positions.js';
