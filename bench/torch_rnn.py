"""The same models in PyTorch on the CPU, for `npm run bench`: torch_rnn.py CORPUS SECONDS CELL HIDDEN BATCH LR [LAYERS].

One-hot characters into a stack of LAYERS (default 1) rnn (tanh) / lstm / gru layers, a linear read-out, softmax cross-entropy
averaged over the batch and summed over seq 25, Adagrad, gradients clipped to +-5; B streams over
contiguous segments of the text carrying their state (as the engine trains). Prints one JSON line.
Threads: TORCH_THREADS torch threads (default 1); OpenBLAS reads OPENBLAS_NUM_THREADS itself.
"""
import json
import os
import sys
import time

import torch

path, budget, cell, H, B, lr = sys.argv[1], float(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
L = int(sys.argv[7]) if len(sys.argv) > 7 else 1
torch.manual_seed(1)
torch.set_num_threads(int(os.environ.get('TORCH_THREADS', '1')))
data = open(path, encoding='utf-8').read()
chars = sorted(set(data))
ix = {c: i for i, c in enumerate(chars)}
V, T = len(chars), 25
enc = torch.tensor([ix[c] for c in data], dtype=torch.long)
seg = len(enc) // B
rnn = {'rnn': torch.nn.RNN, 'lstm': torch.nn.LSTM, 'gru': torch.nn.GRU}[cell](V, H, num_layers=L)
out = torch.nn.Linear(H, V)
params = list(rnn.parameters()) + list(out.parameters())
opt = torch.optim.Adagrad(params, lr=lr)
eye = torch.eye(V)


def zero_state():
    h = torch.zeros(L, B, H)
    return (h, torch.zeros(L, B, H)) if cell == 'lstm' else h


state, pos, n, smooth = zero_state(), 0, 0, float(torch.log(torch.tensor(float(V))))
starts = torch.arange(B) * seg
t0, c0 = time.perf_counter(), time.process_time()
while time.perf_counter() - t0 < budget:
    if pos + T + 1 >= seg:
        pos, state = 0, zero_state()
    idx = starts[None, :] + pos + torch.arange(T)[:, None]  # [T, B]
    x, y = eye[enc[idx]], enc[idx + 1]
    state = tuple(s.detach() for s in state) if cell == 'lstm' else state.detach()
    hs, state = rnn(x, state)
    logits = out(hs)
    loss = torch.nn.functional.cross_entropy(logits.reshape(T * B, V), y.reshape(T * B), reduction='sum') / B
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_value_(params, 5.0)
    opt.step()
    smooth = smooth * 0.999 + float(loss) / T * 0.001
    pos += T
    n += 1
el, cpu = time.perf_counter() - t0, time.process_time() - c0
layers = '' if L == 1 else f' x{L}'
setting = f"{torch.get_num_threads()} torch thread{'s' if torch.get_num_threads() > 1 else ''}, OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}"
print(json.dumps(dict(system=f'pytorch {cell}{layers} h{H} batch {B}', setting=setting, iterations=n, seconds=round(el, 2),
                      chars_per_s=round(n * T * B / el), cpu_chars_per_s=round(n * T * B / cpu),
                      smooth_loss_per_char=round(smooth, 4))))
