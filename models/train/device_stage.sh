#!/usr/bin/env bash
# One student stage on the lent GPU machine, in one call: train from the committed weights on
# packed examples for MINUTES, then hand back the packed checkpoint and the log through $OUT.
#
# Here, before the call (the packed files stay gitignored and travel with `carry`):
#   /usr/bin/python3 models/train/packed_examples.py --out models/data/device/val.xz models/data/v3-val.jsonl
#   /usr/bin/python3 models/train/packed_examples.py --out models/data/device/train.xz <formatted subsets>
# The call: run(command="bash models/train/device_stage.sh", carry=["models/data/device"], timeout_s=600)
# Back here: average_checkpoints.py --val models/data/v3-val.jsonl against the CPU stage, keep the
# better, pack_checkpoint.py into models/checkpoints/student-v3.pt, record it in the card.
#
# The cosine runs over the time limit (--schedule time), so the stage anneals fully at whatever
# speed the machine has; best.pt is the lowest validation loss seen (many epochs fit in MINUTES).
set -euo pipefail
: "${OUT:?OUT must name the folder whose files come back}"
MINUTES=${MINUTES:-7}
DATA=${DATA:-models/data/device}
INIT=${INIT:-models/checkpoints/student-v3.pt}
RUN=${RUN:-/tmp/device-stage}
PY=${PY:-python3}

for f in "$DATA/train.xz" "$DATA/val.xz" "$INIT"; do
  [ -f "$f" ] || { echo "device_stage: missing $f (see the top of this script)" >&2; exit 2; }
done
nvidia-smi -L 2>/dev/null || echo "device_stage: no nvidia-smi here" >&2
rm -rf "$RUN"
PYTHONUNBUFFERED=1 "$PY" models/train/train.py --device "${DEVICE:-cuda}" --init "$INIT" \
  --data "$DATA/train.xz" --val "$DATA/val.xz" --val-examples 200 --preset student --positions aligned \
  --first-token-weight 5 --lr "${LR:-3e-4}" --warmup 50 --steps 100000000 --schedule time \
  --time-limit "$MINUTES" --batch-tokens "${BATCH_TOKENS:-65536}" --eval-every "${EVAL_EVERY:-200}" \
  --save-every 1000000 --log-every 20 --threads "${THREADS:-8}" --seed "${SEED:-0}" --out "$RUN" 2>&1 \
  | tee "$OUT/train.log"
"$PY" models/train/pack_checkpoint.py "$RUN/best.pt" "$OUT/student-v3.pt"
cp "$RUN/log.jsonl" "$OUT/log.jsonl"
