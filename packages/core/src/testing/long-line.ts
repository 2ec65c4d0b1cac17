// A 100 KB document of one line (a minified file), the cursor inside it: the
// input every prompt format must bound in tokens however long its lines.
export function longLineDocument(): { long: string; text: string; cursor: number } {
  const long = 'let a=1;'.repeat(12_500);
  const text = `// head\n${long}\n// tail\n`;
  return { long, text, cursor: text.indexOf(long) + 50_003 };
}
