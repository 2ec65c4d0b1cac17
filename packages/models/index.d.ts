/** The bundled models, each a folder in Hugging Face layout under `modelsDir`. */
export declare const models: readonly ['nextedit-student', 'nextedit-draft'];
/** The files the runtime reads from each model folder (q8 weights only: no fp32, no training files). */
export declare const runtimeFiles: readonly string[];
/** The dtype the bundled weights are in. */
export declare const dtype: 'q8';
/** The folder holding `nextedit-student/` and `nextedit-draft/` (absolute path). */
export declare const modelsDir: string;
/** `modelsDir/nextedit-student`: the model. */
export declare const studentPath: string;
/** `modelsDir/nextedit-draft`: its draft, for speculative decoding. */
export declare const draftPath: string;
/** The URL base the @nextedit/worker/vite plugin serves `modelsDir` at, and the worker's default. */
export declare const urlBase: '/nextedit-models/';
