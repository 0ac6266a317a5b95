"""The PyTorch rival of the honest quality bench (bench/quality.ts), under the protocol the CLI's runs get:

  torch_quality.py TRAIN SCORE SECONDS SEED [HIDDEN] [BATCH] [SEQ] [LR]

TRAIN is the first 90% of a text, SCORE the last 10%. As `char-rnn train --best-out` does with TRAIN, the last 10%
of TRAIN is the run's validation: it chooses the best model and is read in its first 16,384 characters from a zero
state, on the clock, at most about 5% of the run's time (after each validation the next comes once 5% of the time
since would pay for it), and once more at the end. The budget counts everything, validation included. The best
model then scores SCORE once, the characters TRAIN lacks left out (`char-rnn eval --skip-unknown`).

The model is the issue's rival: one GRU layer of 256 (nn.GRU over one-hot characters, an nn.Linear read-out),
32 contiguous streams carrying their state, sequence 50, Adam 2e-3, gradient norm clipped to 5
(examples/pytorch/train.py's training). One torch thread (two are ~3x slower here: ../shared/TOOLCHAIN.md); OpenBLAS
reads OPENBLAS_NUM_THREADS itself, which the bench sets to the engine's --threads. Prints one JSON line.
"""
import copy
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

VALIDATION_MAX_CHARS = 16384   # main/training/training-loop.ts: the CLI's validation reads these first characters
VALIDATION_SHARE = 0.05        # and spends at most about this share of the run's time on it

train_path, score_path, budget, seed = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
H, B, T, lr = (int(sys.argv[5]) if len(sys.argv) > 5 else 256, int(sys.argv[6]) if len(sys.argv) > 6 else 32,
               int(sys.argv[7]) if len(sys.argv) > 7 else 50, float(sys.argv[8]) if len(sys.argv) > 8 else 2e-3)
torch.manual_seed(seed)
torch.set_num_threads(1)

text = open(train_path, encoding='utf-8').read()
vocab = sorted(set(text))                       # by code point, as the engine's Vocabulary.fromText
ix = {c: i for i, c in enumerate(vocab)}
V = len(vocab)
data = torch.tensor([ix[c] for c in text], dtype=torch.long)
val_len = int(math.floor(len(data) * 0.1))      # the CLI's --val-fraction 0.1: the last tenth validates
train, val = data[:len(data) - val_len], data[len(data) - val_len:][:VALIDATION_MAX_CHARS]


class CharGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.GRU(V, H, batch_first=True)
        self.head = nn.Linear(H, V)

    def forward(self, x, h=None):
        out, h = self.rnn(F.one_hot(x, V).float(), h)
        return self.head(out), h


@torch.no_grad()
def nats_per_char(model, seq, chunk=256):
    """Mean -log p of each next character from a zero state, carried through: `char-rnn eval`."""
    model.eval()
    h, total = None, 0.0
    for start in range(0, len(seq) - 1, chunk):
        x = seq[start:start + chunk + 1].unsqueeze(0)
        logits, h = model(x[:, :-1], h)
        total += F.cross_entropy(logits[0].double(), x[0, 1:], reduction='sum').item()
    model.train()
    return total / (len(seq) - 1)


model = CharGRU()
optimizer = torch.optim.Adam(model.parameters(), lr=lr)
stream_len = len(train) // B
starts = torch.arange(B) * stream_len
offsets = torch.arange(T + 1)
best, best_loss, best_step = None, float('inf'), 0


def validate(step):
    global best, best_loss, best_step
    loss = nats_per_char(model, val)
    if loss < best_loss:
        best, best_loss, best_step = copy.deepcopy(model.state_dict()), loss, step


t0 = time.perf_counter()
next_validation, pos, h, step = t0, 0, None, 0
while time.perf_counter() - t0 < budget:
    if pos + T + 1 > stream_len:
        pos, h = 0, None
    window = train[(starts + pos).unsqueeze(1) + offsets]   # [B, T+1]
    logits, h = model(window[:, :-1], h)
    loss = F.cross_entropy(logits.reshape(-1, V), window[:, 1:].reshape(-1))
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 5.0)
    optimizer.step()
    h = h.detach()
    pos += T
    step += 1
    now = time.perf_counter()
    if now >= next_validation:
        validate(step)
        cost = time.perf_counter() - now
        next_validation = time.perf_counter() + cost / VALIDATION_SHARE
validate(step)
seconds = time.perf_counter() - t0

model.load_state_dict(best)
score_text = open(score_path, encoding='utf-8').read()
known = [c for c in score_text if c in ix]
score = nats_per_char(model, torch.tensor([ix[c] for c in known], dtype=torch.long))
print(json.dumps(dict(natsPerChar=score, skipped=len(score_text) - len(known), bestIteration=best_step, iterations=step,
                      bestValLoss=best_loss, seconds=round(seconds, 2), charsPerSecond=round(step * T * B / seconds))))
