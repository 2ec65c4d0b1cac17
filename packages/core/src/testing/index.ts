export { CharTokenizer } from './char-tokenizer.js';
export * from './fake-models.js';
