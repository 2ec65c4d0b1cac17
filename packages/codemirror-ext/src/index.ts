import type { Extension } from '@codemirror/state';
import { nextEditConfig, type NextEditConfig } from './config.js';
import { nextEditKeymapExtension } from './commands.js';
import { nextEditDecorations } from './decorations.js';
import { busyIndicator } from './busy-indicator.js';
import { edgeArrow } from './edge-arrow.js';
import { crossLineInputGuard } from './input-guard.js';
import { nextEditPlugin } from './plugin.js';
import { rejectMemory, statusField, suggestionField } from './state.js';
import { statsField } from './stats.js';
import { nextEditTheme } from './theme.js';
import { altReveal, revealedField } from './subtle.js';

/** Next-edit suggestions for an editor: ghost text, inline diffs, Tab-to-jump. */
export function nextEdit(config: NextEditConfig): Extension[] {
  return [
    nextEditConfig.of(config),
    suggestionField, rejectMemory, statusField, statsField, revealedField, altReveal,
    nextEditDecorations, nextEditPlugin, edgeArrow, busyIndicator, nextEditTheme, crossLineInputGuard,
    nextEditKeymapExtension,
  ];
}

export type { NextEditConfig, EditHistoryLike } from './config.js';
export { nextEditConfig } from './config.js';
export { acceptNextEdit, dismissNextEdit, acceptNextEditWord, acceptNextEditLine, requestNextEdit, nextEditKeymap } from './commands.js';
export { listboxPopupOpen } from './popup.js';
export { nextEditStats, type NextEditStats } from './stats.js';
export { nextEditStatus, currentSuggestion, classify, type NextEditStatus, type Suggestion, type SuggestionKind } from './state.js';
