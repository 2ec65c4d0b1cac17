export { isReversal, isSuggestable } from './suggestable.js';
