export { EditHistory, type EditHistoryOptions, type DocLike } from './edit-history.js';
export {
  unifiedDiff,
  withoutContext,
  applyUnifiedDiff,
  parseUnifiedDiff,
  reverseUnifiedDiff,
  type Hunk,
  type ParsedDiff,
} from './diff.js';
