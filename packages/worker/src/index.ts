export { loadTokenizer, TransformersTokenizer } from './tokenizer.js';
