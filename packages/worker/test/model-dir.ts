// The test model: models/tiny-random (random weights), or NEXTEDIT_TEST_MODEL.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const modelsRoot = fileURLToPath(new URL('../../../models', import.meta.url));
export const testModel = process.env.NEXTEDIT_TEST_MODEL ?? `${modelsRoot}/tiny-random`;
export const hasTestModel = existsSync(`${testModel}/onnx/model.onnx`);
