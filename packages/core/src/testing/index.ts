export { CharTokenizer } from './char-tokenizer.js';
export * from './fake-models.js';
export { longLineDocument } from './long-line.js';
