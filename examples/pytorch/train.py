"""Train a Char-RNN Studio model with PyTorch, on one GPU or many, and write safetensors that
`char-rnn import` and the app open.

  python train.py CORPUS --model lstm --hidden 512 --layers 2 --steps 20000 --out model.safetensors
  torchrun --nproc_per_node=4 train.py CORPUS --model gru --hidden 1024 --batch 64 --out model.safetensors
  python train.py CORPUS --init exported.safetensors --steps 5000 --out continued.safetensors
  python train.py CORPUS --model gru --hidden 256 --dropout 0.2 --out model.safetensors

then `char-rnn import model.safetensors model.ckpt` (or the app's Open…). The model is nn.RNN (tanh),
nn.LSTM or nn.GRU over one-hot characters and an nn.Linear read-out, exactly this engine's network;
charrnn_convert.py maps the tensors both ways (the LSTM's gate order and biases differ). With
torchrun each process trains `--batch` streams of the corpus under DistributedDataParallel; rank 0
evaluates and writes. The validation text is the last --val-fraction of the corpus, scored from a
zero state like `char-rnn eval` (write it with --val-out to check). --dropout is the engine's: on each
layer's output while training (nn.RNN's dropout between layers, an nn.Dropout before the read-out); it
defaults to the --init file's, and the file written records it, so `char-rnn import` trains on with it.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel

from charrnn_convert import (config_metadata, encode, engine_tensor_order, engine_to_torch, infer_shape, read_safetensors,
                             torch_to_engine, training_config, write_safetensors)


class CharModel(nn.Module):
    def __init__(self, cell, vocab_size, hidden, layers, dropout=0.0):
        super().__init__()
        self.cell, self.vocab_size = cell, vocab_size
        kind = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[cell]
        extra = {"nonlinearity": "tanh"} if cell == "rnn" else {}
        # the engine drops each layer's output: PyTorch's between layers, then one before the read-out
        between = dropout if layers > 1 else 0.0
        self.rnn = kind(vocab_size, hidden, num_layers=layers, batch_first=True, dropout=between, **extra)
        self.drop = nn.Dropout(dropout)
        self.head = nn.Linear(hidden, vocab_size)

    def forward(self, x, state=None):
        out, state = self.rnn(F.one_hot(x, self.vocab_size).float(), state)
        return self.head(self.drop(out)), state

    def to_engine(self):
        params = {k.replace("rnn.", ""): v.detach().cpu().double().numpy() for k, v in self.state_dict().items()}
        return torch_to_engine(params, self.cell)

    def load_engine(self, engine):
        params = engine_to_torch(engine)
        sd = {("rnn." + k if not k.startswith("head.") else k): torch.from_numpy(np.asarray(v, dtype=np.float32)) for k, v in params.items()}
        self.load_state_dict(sd)


def detach(state):
    if state is None:
        return None
    return tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()


@torch.no_grad()
def evaluate(model, data, device, chunk=256):
    """Mean -log p of each next character from a zero state, carried through: `char-rnn eval`."""
    if len(data) < 2:
        return float("nan")
    model.eval()
    state, total = None, 0.0
    for start in range(0, len(data) - 1, chunk):
        x = torch.as_tensor(data[start:start + chunk + 1], device=device).unsqueeze(0)
        logits, state = model(x[:, :-1], state)
        total += F.cross_entropy(logits[0].double(), x[0, 1:], reduction="sum").item()
    model.train()
    return total / (len(data) - 1)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("corpus")
    p.add_argument("--model", choices=("rnn", "lstm", "gru"), default="lstm")
    p.add_argument("--hidden", type=int, default=256)
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--init", help="start from a safetensors file `char-rnn export` (or this script) wrote")
    p.add_argument("--seq-length", type=int, default=100)
    p.add_argument("--batch", type=int, default=32, help="streams per process")
    p.add_argument("--steps", type=int, default=1000)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--clip-norm", type=float, default=5.0)
    p.add_argument("--dropout", type=float, default=None,
                   help="drop this fraction of each layer's outputs while training (default: the --init file's, else 0)")
    p.add_argument("--val-fraction", type=float, default=0.1)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--print-every", type=int, default=100)
    p.add_argument("--out", required=True, help="safetensors file to write (refused if it exists, unless --force)")
    p.add_argument("--force", action="store_true")
    p.add_argument("--val-out", help="also write the validation text here")
    p.add_argument("--json", action="store_true", help="progress as JSON lines")
    return p.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    distributed = int(os.environ.get("WORLD_SIZE", "1")) > 1
    rank, world = 0, 1
    device = torch.device(args.device)
    if distributed:
        use_cuda = args.device.startswith("cuda")
        dist.init_process_group(backend="nccl" if use_cuda else "gloo")
        rank, world = dist.get_rank(), dist.get_world_size()
        if use_cuda:
            local = int(os.environ.get("LOCAL_RANK", "0"))
            torch.cuda.set_device(local)
            device = torch.device("cuda", local)
    if rank == 0 and os.path.exists(args.out) and not args.force:
        sys.exit(f"train.py: {args.out} exists; pass --force to replace it")
    torch.manual_seed(args.seed)

    with open(args.corpus, encoding="utf-8") as f:
        text = f.read()
    stored = {}
    if args.init:
        engine, metadata = read_safetensors(args.init)
        vocab = json.loads(metadata["vocab"])
        cell, layers, hidden, _ = infer_shape(engine)
        stored = training_config(metadata)
    else:
        vocab = sorted(set(text))  # by code point, as the engine's Vocabulary.fromText
        cell, layers, hidden = args.model, args.layers, args.hidden
    data = encode(text, vocab)
    val_len = int(math.floor(len(data) * args.val_fraction))
    train, val = data[:len(data) - val_len], data[len(data) - val_len:]
    if args.val_out and rank == 0:
        with open(args.val_out, "w", encoding="utf-8") as f:
            f.write("".join(vocab[i] for i in val))

    dropout = args.dropout if args.dropout is not None else stored.get("dropout", 0.0)
    if not 0 <= dropout <= 0.9:
        sys.exit(f"train.py: --dropout must be a number from 0 to 0.9; got {dropout}")
    model = CharModel(cell, len(vocab), hidden, layers, dropout)
    if args.init:
        model.load_engine(engine)
    model.to(device)
    trained = DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None) if distributed else model
    optimizer = torch.optim.Adam(trained.parameters(), lr=args.lr)

    # Each process trains its own `batch` contiguous streams of the training text, carrying state.
    streams = args.batch * world
    stream_len = len(train) // streams
    T = args.seq_length
    if args.steps > 0 and stream_len < T + 1:
        sys.exit(f"train.py: the corpus is too short for {streams} streams of {T + 1} characters")
    starts = torch.arange(rank * args.batch, (rank + 1) * args.batch) * stream_len
    train_t = torch.as_tensor(train)
    offsets = torch.arange(T + 1)
    pos, state, t0 = 0, None, time.time()
    for step in range(1, args.steps + 1):
        if pos + T + 1 > stream_len:
            pos, state = 0, None
        window = train_t[(starts + pos).unsqueeze(1) + offsets].to(device)  # [B, T+1]
        logits, state = trained(window[:, :-1], state)
        loss = F.cross_entropy(logits.reshape(-1, len(vocab)), window[:, 1:].reshape(-1))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        if args.clip_norm > 0:
            nn.utils.clip_grad_norm_(trained.parameters(), args.clip_norm)
        optimizer.step()
        state = detach(state)
        pos += T
        if rank == 0 and args.print_every > 0 and step % args.print_every == 0:
            line = {"step": step, "loss": loss.item(), "charsPerSecond": step * T * streams / (time.time() - t0)}
            print(json.dumps(line) if args.json else f"step {step}, loss {line['loss']:.4f}, {line['charsPerSecond']:.0f} chars/s", flush=True)

    if rank == 0:
        val_loss = evaluate(model, val, device)
        engine = model.to_engine()
        # the --init file's settings (the app's, for a model it exported) with this run's dropout over them
        training = {**stored, "dropout": dropout}
        write_safetensors(args.out, {name: engine[name] for name in engine_tensor_order(cell, layers)},
                          {"vocab": json.dumps(vocab, ensure_ascii=False), "source": "examples/pytorch/train.py",
                           "config": config_metadata(cell, layers, hidden, len(vocab), training)})
        done = {"steps": args.steps, "valLoss": val_loss, "valBits": val_loss / math.log(2), "out": args.out}
        print(json.dumps(done) if args.json else f"validation {val_loss:.4f} nats/char; wrote {args.out}", flush=True)
    if distributed:
        dist.destroy_process_group()


if __name__ == "__main__":
    main(sys.argv[1:])
