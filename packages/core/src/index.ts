export * from "./types.js";
export * from './prompt/index.js';
export * from './edits/index.js';
export * from './testing/index.js';
