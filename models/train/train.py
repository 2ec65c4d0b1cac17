"""train: fit a Llama-architecture decoder on formatted examples (format.ts output).

Loss on the answer tokens (ids[loss_start:]), optionally plus a weighted
next-token loss on the prompt (--context-loss-weight). Resumable: the run folder
keeps last.pt (every --save-every steps, on --time-limit and on Ctrl-C) and
best.pt (lowest validation loss). One progress line per --log-every steps.

  OPENBLAS_NUM_THREADS=2 /usr/bin/python3 models/train/train.py \
      --data models/data/train.jsonl --val models/data/val.jsonl \
      --preset student --out models/runs/student --time-limit 90

Data parallel across processes or machines with torchrun (DistributedDataParallel:
gloo on CPU, nccl on GPUs); each rank reads its own batches, rank 0 logs,
evaluates and saves:

  torchrun --nproc_per_node 2 --redirects 1 --tee 1 models/train/train.py ...same arguments...
  (--redirects/--tee 1: Debian's torch 1.13 on Python 3.11 crashes on their default 0)
"""
from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import random
import signal
import sys
import time
from typing import NamedTuple

import torch
import torch.distributed as dist
from torch import nn
from torch.nn import functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import PRESETS, LlamaConfig, LlamaForCausalLM  # noqa: E402
import packed_examples  # noqa: E402
from special_tokens import PAD  # noqa: E402


def read_examples(path: str, max_len: int, aligned: bool = False) -> list[tuple[list[int], int, list[int] | None]]:
    """(ids, loss_start, positions): positions are the format's aligned ones
    (format.ts writes them) when `aligned`, else None (sequential). `path` is
    format.ts JSONL, or a packed_examples.py file (.xz)."""
    if path.endswith(".xz"):
        records = packed_examples.read(path)
    else:
        with open(path, encoding="utf-8") as f:
            records = [(ex["ids"], ex["loss_start"], ex.get("positions")) for ex in map(json.loads, f)]
    out = []
    for n, (ids, start, positions) in enumerate(records, 1):
        positions = positions if aligned else None
        if aligned and (positions is None or len(positions) != len(ids)):
            raise SystemExit(f"{path}:{n}: --positions aligned needs a positions list per example "
                             "(re-run format.ts with a format that defines them)")
        if len(ids) <= max_len and start < len(ids):
            out.append((ids, start, positions))
    return out


def batches(examples, batch_tokens: int, rng: random.Random):
    """Endless stream of padded batches; examples of similar length share a batch (less padding)."""
    while True:
        order = examples[:]
        rng.shuffle(order)
        for i in range(0, len(order), 256):
            pool = sorted(order[i:i + 256], key=lambda e: len(e[0]))
            groups, cur = [], []
            for ex in pool:
                if cur and (len(cur) + 1) * len(ex[0]) > batch_tokens:
                    groups.append(cur)
                    cur = []
                cur.append(ex)
            if cur:
                groups.append(cur)
            rng.shuffle(groups)
            for g in groups:
                yield collate(g)


def collate(group):
    """Right-padded ids, a loss mask over answer tokens and position ids (sequential
    where an example has none; padding continues after the last). Causal attention
    means real tokens never attend to the padding after them, so no attention mask is needed."""
    t = max(len(ex[0]) for ex in group)
    ids = torch.full((len(group), t), PAD, dtype=torch.long)
    mask = torch.zeros((len(group), t), dtype=torch.float32)
    pos = torch.arange(t).repeat(len(group), 1)
    for i, (seq, start, positions) in enumerate(group):
        ids[i, :len(seq)] = torch.tensor(seq)
        mask[i, start:len(seq)] = 1.0
        if positions is not None:
            pos[i, :len(seq)] = torch.tensor(positions)
            pos[i, len(seq):] = positions[-1] + 1 + torch.arange(t - len(seq))
    return ids, mask, pos


def first_answer_tokens(mask):
    """True at each row's first answer position of `mask` (the edit / no-edit decision)."""
    before = F.pad(mask, (1, 0))[:, :-1]
    return (mask > 0) & (before == 0)


def loss_of(model, ids, mask, pos, context_weight: float = 0.0, first_weight: float = 1.0):
    """(mean NLL over answer tokens, answer token count, training objective).

    The objective adds `context_weight` x the mean NLL of the prompt tokens: a
    language-modelling signal on code that a model trained from scratch (no
    pretrained base here) needs to learn copying at all; 0 = answer-only loss.
    `first_weight` weighs each answer's first token (whether to edit at all:
    a no-edit answer is that one token, so in a plain token mean the decision
    weighs ~0.2% of the loss); the reported loss stays the plain mean."""
    hidden, _ = model.hidden_states(ids[:, :-1], position_ids=pos[:, :-1])
    flat = hidden.reshape(-1, hidden.shape[-1])
    target = ids[:, 1:].reshape(-1)
    answer = mask[:, 1:].reshape(-1).bool()
    # The vocabulary projection only where a loss is: a big share of a small
    # model's compute otherwise.
    n = answer.sum()
    nll = F.cross_entropy(model.lm_head(flat[answer]), target[answer], reduction="none")
    answer_loss = nll.sum() / n.clamp(min=1)
    objective = answer_loss
    if first_weight != 1.0:
        first = first_answer_tokens(mask[:, 1:]).reshape(-1)[answer]
        weights = 1.0 + (first_weight - 1.0) * first.float()
        objective = (weights * nll).sum() / weights.sum()
    if context_weight > 0:
        context = (~answer) & (target != PAD)
        if context.any():
            objective = answer_loss + context_weight * F.cross_entropy(model.lm_head(flat[context]), target[context])
    return answer_loss, n.item(), objective


class Objective(nn.Module):
    """loss_of as a module, so DistributedDataParallel can wrap it and average the gradients."""

    def __init__(self, model, context_weight: float, first_weight: float):
        super().__init__()
        self.model, self.context_weight, self.first_weight = model, context_weight, first_weight

    def forward(self, ids, mask, pos):
        loss, n, objective = loss_of(self.model, ids, mask, pos, self.context_weight, self.first_weight)
        return loss, torch.tensor(float(n)), objective


def init_distributed() -> tuple[int, int]:
    """(rank, world size): torchrun's environment, else a single process."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1:
        return 0, 1
    dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")
    return dist.get_rank(), world


class AnswerScore(NamedTuple):
    """Teacher-forced score of one example's answer."""
    nll: float  # mean over its tokens
    hits: int  # tokens the argmax predicts
    n: int  # tokens
    first_target: int  # its first token (<|no_edit|> for a no-edit answer)
    first_predicted: int  # the argmax there


@torch.no_grad()
def score_answer(model, example) -> AnswerScore:
    ids, mask, pos = collate([example])
    logits, _ = model(ids[:, :-1], position_ids=pos[:, :-1])
    answer = mask[0, 1:].bool()
    predicted, target = logits[0][answer], ids[0, 1:][answer]
    argmax = predicted.argmax(-1)
    hits = int((argmax == target).sum().item())
    return AnswerScore(F.cross_entropy(predicted, target).item(), hits, int(target.numel()),
                       int(target[0].item()), int(argmax[0].item()))


@torch.no_grad()
def evaluate(model, val, batch_tokens: int) -> float:
    model.eval()
    total, count = 0.0, 0.0
    gen = batches(val, batch_tokens, random.Random(0))
    seen = 0
    device = next(model.parameters()).device
    while seen < len(val):
        ids, mask, pos = (t.to(device) for t in next(gen))
        loss, n, _ = loss_of(model, ids, mask, pos)
        total += loss.item() * n
        count += n
        seen += ids.shape[0]
    model.train()
    return total / max(count, 1)


def lr_at(step: int, total: int, peak: float, warmup: int, fraction: float | None = None) -> float:
    """Linear warmup, then cosine to a tenth of the peak over the steps after warmup, or,
    given `fraction` (the share of a time limit spent), over the time."""
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = min(1.0, fraction if fraction is not None else (step - warmup) / max(1, total - warmup))
    return peak * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, nargs="+", help="formatted training JSONL (format.ts); several are concatenated")
    p.add_argument("--val", help="formatted validation JSONL")
    p.add_argument("--val-examples", type=int, default=200)
    p.add_argument("--preset", choices=sorted(PRESETS), default="student")
    p.add_argument("--config-json", help="model config overrides, e.g. '{\"num_hidden_layers\": 4}'")
    p.add_argument("--out", required=True, help="run folder (checkpoints, log)")
    p.add_argument("--init", help="start a new stage from this checkpoint's weights (fresh optimizer and schedule)")
    p.add_argument("--steps", type=int, default=100_000, help="schedule length (the run may stop earlier)")
    p.add_argument("--time-limit", type=float, default=0, help="minutes; save and stop after this much training")
    p.add_argument("--schedule", choices=["steps", "time"], default="steps",
                   help="what the cosine decay runs over: --steps, or --time-limit (for a machine whose speed "
                        "is not known beforehand, such as a lent GPU: the stage anneals fully whatever its speed)")
    p.add_argument("--batch-tokens", type=int, default=8192, help="padded tokens per batch")
    p.add_argument("--max-len", type=int, default=1536)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--context-loss-weight", type=float, default=0.0,
                   help="weight of an auxiliary next-token loss on the prompt (0: answer tokens only)")
    p.add_argument("--first-token-weight", type=float, default=1.0,
                   help="loss weight of each answer's first token, the edit / no-edit decision (1: a plain token mean)")
    p.add_argument("--positions", choices=["sequential", "aligned"],
                   help="rotary positions: sequential, or the prompt format's aligned ones (answer restarts at the "
                        "region; needs format.ts output with positions). Default: the checkpoint's, else sequential")
    p.add_argument("--warmup", type=int, default=100)
    p.add_argument("--weight-decay", type=float, default=0.1)
    p.add_argument("--log-every", type=int, default=10)
    p.add_argument("--eval-every", type=int, default=200)
    p.add_argument("--save-every", type=int, default=100)
    p.add_argument("--threads", type=int, default=int(os.environ.get("TORCH_THREADS", "1")))
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default="auto",
                   help="cpu, cuda, cuda:N, or auto (cuda where there is one); on cuda the forward runs in bf16 autocast")
    p.add_argument("--save-all-ranks", action="store_true",
                   help="every rank also writes last.rank<N>.pt (to check that the ranks stay identical)")
    args = p.parse_args(argv)
    if args.schedule == "time" and not args.time_limit:
        p.error("--schedule time needs --time-limit")
    rank, world = init_distributed()
    device = torch.device(("cuda" if torch.cuda.is_available() else "cpu") if args.device == "auto" else args.device)
    if device.type == "cuda" and world > 1:
        device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")))

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)
    last = os.path.join(args.out, "last.pt")
    # Only rank 0 writes the log; the others' lines would interleave.
    log = open(os.path.join(args.out, "log.jsonl"), "a", encoding="utf-8") if rank == 0 else open(os.devnull, "w")

    init = None
    if os.path.exists(last):
        ck = torch.load(last, map_location="cpu")
        config = LlamaConfig.from_dict(ck["config"])
        print(f"resuming {last} at step {ck['step']}", file=sys.stderr)
    elif args.init:
        # A new stage (data, schedule, optimizer) from an earlier run's weights.
        ck, init = None, torch.load(args.init, map_location="cpu")
        config = LlamaConfig.from_dict(init["config"])
        print(f"starting from the weights of {args.init} (step {init['step']})", file=sys.stderr)
    else:
        ck = None
        config = PRESETS[args.preset]
        if args.config_json:
            config = LlamaConfig.from_dict({**config.to_dict(), **json.loads(args.config_json)})
    model = LlamaForCausalLM(config).to(device)
    decay = [p_ for n, p_ in model.named_parameters() if p_.dim() >= 2]
    no_decay = [p_ for n, p_ in model.named_parameters() if p_.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}], lr=args.lr, betas=(0.9, 0.95))
    meta = {"steps": 0, "tokens": 0, "answer_tokens": 0, "examples": 0, "train_seconds": 0.0,
            "best_val_loss": None, "threads": args.threads, "preset": args.preset, "data": [os.path.basename(d) for d in args.data]}
    if ck:
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["optim"])
        meta = ck["meta"]
    elif init:
        # A packed checkpoint holds fp16 weights: training continues in fp32.
        model.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in init["model"].items()})
        # Earlier stages, so a model card can state the whole training.
        # (A mean of stages run side by side, average_checkpoints.py, also names what it averaged.)
        stage = {k: init["meta"].get(k) for k in ("steps", "tokens", "answer_tokens", "train_seconds", "data",
                                                   "positions", "first_token_weight")}
        if "averaged" in init["meta"]:
            stage["averaged"] = init["meta"]["averaged"]
        meta["stages"] = init["meta"].get("stages", []) + [stage]
    # A resumed run keeps its scheme; a new stage may change it (--positions), else inherits it.
    if ck:
        meta.setdefault("positions", "sequential")
        if args.positions and args.positions != meta["positions"]:
            p.error(f"{last} was trained with {meta['positions']} positions")
    else:
        meta["positions"] = args.positions or (init["meta"].get("positions", "sequential") if init else "sequential")
    meta["first_token_weight"] = args.first_token_weight
    aligned = meta["positions"] == "aligned"
    train = [ex for path in args.data for ex in read_examples(path, args.max_len, aligned)]
    val = read_examples(args.val, args.max_len, aligned)[: args.val_examples] if args.val else []
    if not train:
        p.error(f"no usable examples in {', '.join(args.data)}")
    # Each rank its own order of batches; rank 0 alone is the single-process order.
    rng = random.Random(args.seed + meta["steps"] + 7919 * rank)
    stream = batches(train, args.batch_tokens, rng)
    objective_module = Objective(model, args.context_loss_weight, args.first_token_weight)
    step_fn = nn.parallel.DistributedDataParallel(objective_module) if world > 1 else objective_module
    # bf16 on a GPU: the weights and the optimizer stay fp32.
    autocast = torch.autocast("cuda", dtype=torch.bfloat16) if device.type == "cuda" else contextlib.nullcontext()
    print(f"model {model.num_params():,} params, {len(train)} train / {len(val)} val examples, "
          f"{meta['positions']} positions, on {device}", file=sys.stderr)

    def save(path: str, every_rank: bool = False) -> None:
        if rank != 0 and not every_rank:
            return
        tmp = path + ".tmp"
        torch.save({"config": config.to_dict(), "model": model.state_dict(), "optim": opt.state_dict(),
                    "meta": meta, "step": meta["steps"]}, tmp)
        os.replace(tmp, path)  # never leave a half-written checkpoint

    stop = {"now": False}
    signal.signal(signal.SIGTERM, lambda *_: stop.update(now=True))
    signal.signal(signal.SIGINT, lambda *_: stop.update(now=True))
    start = time.time()
    window_tokens, window_loss, window_n, window_t = 0, 0.0, 0, time.time()
    # Share of the time limit spent, as the ranks agreed after the last step (so their lr stays equal).
    spent = 0.0 if args.schedule == "time" else None
    model.train()
    while meta["steps"] < args.steps and not stop["now"]:
        ids, mask, pos = (t.to(device) for t in next(stream))
        for g in opt.param_groups:
            g["lr"] = lr_at(meta["steps"], args.steps, args.lr, args.warmup, spent)
        with autocast:
            loss, n, objective = step_fn(ids, mask, pos)
        n = int(n.item())
        opt.zero_grad(set_to_none=True)
        objective.backward()  # DistributedDataParallel averages the gradients over the ranks here
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        # The time limit is a stop signal too, so all ranks stop after the same step.
        elapsed = time.time() - start
        over = bool(args.time_limit) and elapsed > args.time_limit * 60
        counts = torch.tensor([float(ids.numel()), float(n), float(ids.shape[0]), float(stop["now"] or over),
                               elapsed], device=device)
        if world > 1:
            dist.all_reduce(counts)  # totals over the ranks; any rank's stop signal stops all
        if spent is not None:
            spent = float(counts[4]) / world / (args.time_limit * 60)
        meta["steps"] += 1
        meta["tokens"] += int(counts[0])
        meta["answer_tokens"] += int(counts[1])
        meta["examples"] += int(counts[2])
        stop["now"] = stop["now"] or counts[3] > 0
        window_tokens += int(ids.numel())
        window_loss += loss.item()
        window_n += 1
        s = meta["steps"]
        if s % args.log_every == 0:
            dt = time.time() - window_t
            meta["train_seconds"] += dt
            rec = {"step": s, "loss": round(window_loss / window_n, 4), "tok_s": round(window_tokens / dt),
                   "lr": round(opt.param_groups[0]["lr"], 6), "tokens": meta["tokens"], "elapsed_min": round((time.time() - start) / 60, 1)}
            if rank == 0:
                print(f"step {s} loss {rec['loss']:.4f} tok/s {rec['tok_s']} lr {rec['lr']:.2e} "
                      f"tokens {meta['tokens']:,} elapsed {rec['elapsed_min']}m", file=sys.stderr, flush=True)
            log.write(json.dumps(rec) + "\n")
            log.flush()
            window_tokens, window_loss, window_n, window_t = 0, 0.0, 0, time.time()
        if val and rank == 0 and s % args.eval_every == 0:
            v = evaluate(model, val, args.batch_tokens)
            print(f"step {s} val_loss {v:.4f}", file=sys.stderr, flush=True)
            log.write(json.dumps({"step": s, "val_loss": round(v, 4)}) + "\n")
            if meta["best_val_loss"] is None or v < meta["best_val_loss"]:
                meta["best_val_loss"] = round(v, 4)
                save(os.path.join(args.out, "best.pt"))
        if s % args.save_every == 0:
            save(last)
    if val and rank == 0:
        v = evaluate(model, val, args.batch_tokens)
        print(f"final val_loss {v:.4f}", file=sys.stderr)
        log.write(json.dumps({"step": meta["steps"], "val_loss": round(v, 4)}) + "\n")
        if meta["best_val_loss"] is None or v <= meta["best_val_loss"]:
            meta["best_val_loss"] = round(v, 4)
            save(os.path.join(args.out, "best.pt"))
    save(last)
    if args.save_all_ranks:
        save(os.path.join(args.out, f"last.rank{rank}.pt"), every_rank=True)
    if rank == 0:
        print(f"saved {last} at step {meta['steps']} ({meta['tokens']:,} tokens)", file=sys.stderr)
    if world > 1:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
