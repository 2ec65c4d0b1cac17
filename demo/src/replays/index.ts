// Recorded edit sequences the replay mode plays keystroke by keystroke: for
// each step the cursor goes to the first occurrence of `find`, `select`
// characters from there are selected, and `type` is typed over them one
// character at a time, pausing so the predictor sees each keystroke.
export interface ReplayStep { find: string; select?: number; type: string }
export interface Replay { name: string; file: string; steps: ReplayStep[] }

export const replays: Replay[] = [
  {
    name: 'Rename items → lines (cart.ts)',
    file: 'src/cart.ts',
    steps: [{ find: 'items: Item[]', select: 5, type: 'lines' }],
  },
  {
    name: 'Rename BASE_URL → API_ROOT (api.js)',
    file: 'src/api.js',
    steps: [{ find: 'BASE_URL =', select: 8, type: 'API_ROOT' }],
  },
  {
    name: 'Rename price → unit_price (models.py)',
    file: 'app/models.py',
    steps: [{ find: 'price: float', select: 5, type: 'unit_price' }],
  },
];
