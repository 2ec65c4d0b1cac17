// The bench's models, loaded the same way by the Node command line and the
// browser bench worker: main and draft model plus the main model's tokenizer,
// in parallel, failures reported in argument order and loaded sessions freed.
import type { Tokenizer } from '@nextedit/core';
import { allInOrder } from '../runtime/all-in-order.js';
import { disposeIfModel, loadModel, type LoadedModel, type LoadModelOptions } from '../runtime/load-model.js';
import { loadTokenizer } from '../runtime/tokenizer.js';

export function loadBenchModels(
  model: string,
  draft: string,
  opts: LoadModelOptions,
): Promise<[main: LoadedModel, draft: LoadedModel, tokenizer: Tokenizer]> {
  return allInOrder([loadModel(model, opts), loadModel(draft, opts), loadTokenizer(model)], disposeIfModel);
}
