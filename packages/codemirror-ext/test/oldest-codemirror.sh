#!/usr/bin/env bash
# The extension against the oldest CodeMirror its peer ranges claim: copies core and the
# extension into a temporary workspace, installs @codemirror/view, state, language,
# commands, lang-javascript 6.0.0 and @lezer/highlight 1.0.0 (one copy each, by npm
# overrides), runs the extension's unit and Chromium tests there, and type-checks a small
# app against the packages' built .d.ts. Needs the npm registry and /usr/bin/chromium;
# not part of `npm test` (it installs). Usage: bash packages/codemirror-ext/test/oldest-codemirror.sh
set -euo pipefail
repo=$(cd "$(dirname "$0")/../../.." && pwd)
VIEW=${VIEW:-6.0.0} STATE=${STATE:-6.0.0} LANGUAGE=${LANGUAGE:-6.0.0} HIGHLIGHT=${HIGHLIGHT:-1.0.0}
work=$(mktemp -d "${TMPDIR:-/tmp}/nextedit-oldest-cm-XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$repo"
(git ls-files packages/core packages/codemirror-ext tsconfig.base.json; git ls-files -o --exclude-standard packages/core/src packages/codemirror-ext/src) \
  | grep -v '/node_modules/' | tar cf - -T - | tar xf - -C "$work"
(cd packages/core && npm run --silent build -- --outDir "$work/packages/core/dist")
(cd packages/codemirror-ext && npm run --silent build -- --outDir "$work/packages/codemirror-ext/dist")
cd "$work"
REPO="$repo" node -e '
const fs = require("fs"), [view, state, language, highlight] = process.argv.slice(1);
const v = { "@codemirror/view": view, "@codemirror/state": state, "@codemirror/language": language,
  "@codemirror/commands": "6.0.0", "@codemirror/lang-javascript": "6.0.0", "@lezer/highlight": highlight };
const lock = JSON.parse(fs.readFileSync(process.env.REPO + "/package-lock.json")).packages;
const at = (n) => lock["node_modules/" + n].version;
fs.writeFileSync("package.json", JSON.stringify({ name: "oldest-cm", private: true, type: "module",
  workspaces: ["packages/core", "packages/codemirror-ext"],
  // autocomplete: only features-browser.test.ts uses it (Tab beside its popup), at its oldest too.
  devDependencies: { ...Object.fromEntries(["vitest", "vite", "playwright-core", "typescript"].map((n) => [n, at(n)])), "@codemirror/autocomplete": "6.0.0" },
  overrides: v }, null, 2));
const p = "packages/codemirror-ext/package.json", d = JSON.parse(fs.readFileSync(p));
for (const k of Object.keys(d.devDependencies)) d.devDependencies[k] = v[k];
fs.writeFileSync(p, JSON.stringify(d, null, 2));
' "$VIEW" "$STATE" "$LANGUAGE" "$HIGHLIGHT"
cat > vitest.config.ts <<'TS'
import { defineConfig } from 'vitest/config';
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: { include: ['packages/codemirror-ext/test/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 120_000, maxWorkers: 1 },
});
TS
npm install --no-audit --no-fund --ignore-scripts --loglevel=error
echo "installed:"; npm ls --all 2>/dev/null | grep -o '@codemirror/\(view\|state\|language\)@[0-9.]*' | sort | uniq -c
npx vitest run
mkdir consumer
cat > consumer/app.ts <<'TS'
import { EditorView } from '@codemirror/view';
import { EditorState } from '@codemirror/state';
import { acceptNextEdit, nextEdit, nextEditKeymap, nextEditStats, nextEditStatus } from '@nextedit/codemirror';
import { RulePredictor } from '@nextedit/core';
const state = EditorState.create({ doc: 'x', extensions: [nextEdit({ predictor: new RulePredictor(), path: 'a.ts' })] });
const view = new EditorView({ state });
const accepted: number = nextEditStats(view.state).accepted;
void nextEditStatus(view.state)?.inFlight; void acceptNextEdit(view); void nextEditKeymap.length; void accepted;
TS
echo '{ "compilerOptions": { "target": "ES2022", "module": "ESNext", "moduleResolution": "bundler", "strict": true, "lib": ["ES2022", "DOM"], "noEmit": true, "skipLibCheck": true, "types": [] }, "include": ["app.ts"] }' > consumer/tsconfig.json
npx tsc -p consumer && echo "consumer types: ok"
