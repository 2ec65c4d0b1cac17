// The implementation is shipped with the Vite plugin; the repository's tools import it from here.
export { staticFiles } from '../vite/static-files.js';
