#!/usr/bin/env bash
# The whole training pipeline end to end at toy size, so it cannot rot: mine
# this repository's own history (every clone has it; CI has no network), train
# a tokenizer, format with the inference-time renderer, train a tiny model a
# few steps, select, export to ONNX (+ parity check), quantize, and run the
# eval CLI on the exported model. Takes a couple of minutes on 2 cores.
#
#   bash models/train/smoke.sh [WORK_DIR]     (default: a fresh temp dir)
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-/usr/bin/python3}
if [ -n "${1:-}" ]; then WORK=$1; else WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT; fi
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}
step() { echo "smoke: $*" >&2; }

step "mine this repository's history"
"$PY" models/train/mine.py --repo "$(git rev-parse --git-common-dir)" --name nextedit/self \
  --out-dir "$WORK/mined" --max-per-commit 8
cases=$(cat "$WORK"/mined/*.jsonl | wc -l)
[ "$cases" -gt 0 ] || { echo "smoke: mining found no cases" >&2; exit 1; }

step "train a small tokenizer (the shipped one is used below: ids must match the bundled models)"
"$PY" models/train/tokenizer.py train --out "$WORK/tokenizer" --vocab-size 300 --jsonl "$WORK"/mined/*.jsonl >/dev/null

step "format with packages/core's native prompt"
npx --no-install tsx --conditions=source models/train/format.ts --in "$WORK"/mined/*.jsonl \
  --out "$WORK/train.jsonl" --budget '{"near":128,"history":128}' --no-edit-share 0.3

step "train a tiny model (aligned positions, as the shipped student)"
"$PY" models/train/train.py --data "$WORK/train.jsonl" --val "$WORK/train.jsonl" --val-examples 8 \
  --preset tiny --positions aligned --out "$WORK/run" --steps 6 --warmup 2 --batch-tokens 4096 --log-every 2 --eval-every 3 --save-every 3
"$PY" models/train/train.py --data "$WORK/train.jsonl" --preset tiny --out "$WORK/run" --steps 8 --log-every 2 \
  --batch-tokens 4096 | cat  # resumes at step 6

step "select the middle zone"
"$PY" models/train/select_examples.py --checkpoint "$WORK/run/best.pt" --in "$WORK/train.jsonl" \
  --out "$WORK/selected.jsonl" --limit 32

step "export to ONNX (parity-checked) and quantize"
"$PY" models/train/export.py --checkpoint "$WORK/run/last.pt" --out "$WORK/model" --budget-json '{"near":128,"history":128}'
"$PY" models/train/quantize.py --model "$WORK/model" --bits 8
grep -q '"positions": "aligned"' "$WORK/model/config.json" || { echo "smoke: export lost the positions" >&2; exit 1; }
"$PY" models/train/answer_accuracy.py "$WORK/run/last.pt" "$WORK/train.jsonl" --examples 4

step "eval CLI on the exported model (the runtime feeds the aligned positions)"
npx --no-install tsx --conditions=source packages/worker/src/tools/eval.ts \
  --cases packages/worker/test/fixtures/eval-cases.jsonl --out "$WORK/predictions.jsonl" \
  --predictor model --model "$WORK/model" --limit 3
[ "$(wc -l < "$WORK/predictions.jsonl")" -eq 3 ] || { echo "smoke: eval wrote no predictions" >&2; exit 1; }

step "native v2: synthetic edits, block-format data, a stage from the exported model's weights, export, answers, floors"
"$PY" models/train/synth_edits.py --repo "$(git rev-parse --git-common-dir)" --out "$WORK/synth.jsonl" --per-repo 24
npx --no-install tsx --conditions=source models/train/format.ts --format native@2 --in "$WORK/synth.jsonl" \
  --in "$WORK"/mined/*.jsonl --out "$WORK/train-v2.jsonl" --budget '{"window":160,"history":96}' --limit 64
"$PY" models/train/import_onnx.py --model "$WORK/model" --out "$WORK/v1.pt" --vocab-size 4128
"$PY" models/train/pack_checkpoint.py "$WORK/v1.pt" "$WORK/v1-packed.pt"
"$PY" models/train/train.py --data "$WORK/train-v2.jsonl" --init "$WORK/v1-packed.pt" --out "$WORK/run-v2" \
  --steps 4 --warmup 1 --batch-tokens 4096 --log-every 2 --first-token-weight 5
"$PY" models/train/export.py --checkpoint "$WORK/run-v2/last.pt" --out "$WORK/model-v2" --format native@2 \
  --budget-json '{"window":160,"history":96}'
grep -q '"prompt_format_version": 2' "$WORK/model-v2/config.json" || { echo "smoke: export lost the format version" >&2; exit 1; }
npx --no-install tsx --conditions=source models/train/answer_options.ts --model "$WORK/model-v2" --dtype fp32 \
  --cases "$WORK/synth.jsonl" --out "$WORK/answers.jsonl" --limit 4
"$PY" models/train/calibrate.py --answers "$WORK/answers.jsonl" | tail -1
step "ok ($cases mined cases)"
