export { EditHistory, type EditHistoryOptions, type DocLike } from './edit-history.js';
export {
  unifiedDiff,
  applyUnifiedDiff,
  parseUnifiedDiff,
  reverseUnifiedDiff,
  type Hunk,
  type ParsedDiff,
} from './diff.js';
