export { CharTokenizer } from './char-tokenizer.js';
