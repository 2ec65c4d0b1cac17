export { isReversal, isSuggestable } from './suggestable.js';
export { isLineCompletion, ownAnswerAllowed, OWN_ANSWERS, type OwnAnswers } from './own-answers.js';
