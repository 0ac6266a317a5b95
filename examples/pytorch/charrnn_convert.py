"""Tensor layouts between Char-RNN Studio and PyTorch's nn.RNN / nn.LSTM / nn.GRU, with numpy alone.

Char-RNN Studio (one-hot input, layer k > 0 suffixed "_k"):
  rnn   Wxh [H, in], Whh [H, H], bh [H]                      h = tanh(Wxh x + Whh h + bh)
  lstm  Wxg [4H, in], Whg [4H, H], bg [4H]     gates i, f, o, g and ONE bias
  gru   Wxg [3H, in], Whg [3H, H], bxg, bhg [3H]  gates r, z, n (nn.GRU's formulation exactly)
  Why [V, H], by [V]; safetensors metadata "vocab" = JSON array of the characters in index order,
  and "config" = JSON {"model": {...}, "training": {...}} with the settings, among them "dropout" (the
  rate on each layer's output while training: nn.RNN/LSTM/GRU's dropout between layers, plus an
  nn.Dropout before the read-out) and "ema" (the decay of the weights' average; the weights written are
  the average). Settings absent from a file are off.
PyTorch: weight_ih_l{k}, weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k}; the LSTM's gates are i, f, g, o
and its two biases add. So an LSTM converts by swapping the o and g blocks and summing (to
Studio) or splitting (to PyTorch: bias_ih = bg, bias_hh = 0) the biases; an RNN sums or splits
its biases; a GRU's tensors are the same. The read-out is an nn.Linear(H, V): weight = Why, bias = by.
"""
import json
import struct

import numpy as np

CELLS = ("rnn", "lstm", "gru")
GATES = {"rnn": 1, "lstm": 4, "gru": 3}


def _name(base, layer):
    return base if layer == 0 else f"{base}_{layer}"


def _lstm_reorder(w, hidden):
    """Swap the third and fourth gate blocks: i,f,o,g <-> i,f,g,o (its own inverse)."""
    i, f, a, b = (w[k * hidden:(k + 1) * hidden] for k in range(4))
    return np.concatenate([i, f, b, a], axis=0)


def infer_shape(engine):
    """(cell, layers, hidden, vocab) from Studio tensor names and shapes."""
    if "Wxh" in engine:
        cell = "rnn"
    elif "bg" in engine:
        cell = "lstm"
    elif "bxg" in engine:
        cell = "gru"
    else:
        raise ValueError("not a Char-RNN Studio model: no Wxh, bg or bxg tensor")
    layers = 1
    while _name("Whh" if cell == "rnn" else "Whg", layers) in engine:
        layers += 1
    vocab, hidden = engine["Why"].shape
    return cell, layers, hidden, vocab


def engine_to_torch(engine, split_bias=None):
    """Studio tensors -> {weight_ih_l0, ..., 'head.weight', 'head.bias'} in PyTorch's order.
    split_bias(layer, bias) -> bias_hh lets a caller choose how a single bias is split (default: all in bias_ih)."""
    cell, layers, hidden, _ = infer_shape(engine)
    out = {}
    for k in range(layers):
        if cell == "rnn":
            wx, wh, b = engine[_name("Wxh", k)], engine[_name("Whh", k)], engine[_name("bh", k)]
        else:
            wx, wh = engine[_name("Wxg", k)], engine[_name("Whg", k)]
        if cell == "gru":
            b_ih, b_hh = engine[_name("bxg", k)], engine[_name("bhg", k)]
        else:
            if cell == "lstm":
                wx, wh, b = _lstm_reorder(wx, hidden), _lstm_reorder(wh, hidden), _lstm_reorder(engine[_name("bg", k)], hidden)
            b_hh = np.zeros_like(b) if split_bias is None else split_bias(k, b)
            b_ih = b - b_hh
        out[f"weight_ih_l{k}"], out[f"weight_hh_l{k}"] = wx.copy(), wh.copy()
        out[f"bias_ih_l{k}"], out[f"bias_hh_l{k}"] = b_ih.copy(), b_hh.copy()
    out["head.weight"], out["head.bias"] = engine["Why"].copy(), engine["by"].copy()
    return out


def torch_to_engine(torch_params, cell):
    """{weight_ih_l0, ..., 'head.weight', 'head.bias'} in PyTorch's order -> Studio tensors."""
    if cell not in CELLS:
        raise ValueError(f"cell must be one of {CELLS}; got {cell!r}")
    layers = 0
    while f"weight_ih_l{layers}" in torch_params:
        layers += 1
    hidden = torch_params["weight_hh_l0"].shape[1]
    out = {}
    for k in range(layers):
        wx, wh = torch_params[f"weight_ih_l{k}"], torch_params[f"weight_hh_l{k}"]
        b_ih, b_hh = torch_params[f"bias_ih_l{k}"], torch_params[f"bias_hh_l{k}"]
        if cell == "gru":
            out[_name("Wxg", k)], out[_name("Whg", k)] = wx.copy(), wh.copy()
            out[_name("bxg", k)], out[_name("bhg", k)] = b_ih.copy(), b_hh.copy()
        elif cell == "lstm":
            out[_name("Wxg", k)], out[_name("Whg", k)] = _lstm_reorder(wx, hidden), _lstm_reorder(wh, hidden)
            out[_name("bg", k)] = _lstm_reorder(b_ih + b_hh, hidden)
        else:
            out[_name("Wxh", k)], out[_name("Whh", k)], out[_name("bh", k)] = wx.copy(), wh.copy(), b_ih + b_hh
    out["Why"], out["by"] = torch_params["head.weight"].copy(), torch_params["head.bias"].copy()
    return out


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def torch_order_loss(torch_params, cell, indices):
    """Mean -log p of each next character from a zero state, in float64, with PyTorch's equations
    and gate order (nn.RNN tanh / nn.LSTM / nn.GRU over one-hot input, then the linear head)."""
    layers = 0
    while f"weight_ih_l{layers}" in torch_params:
        layers += 1
    p = {k: np.asarray(v, dtype=np.float64) for k, v in torch_params.items()}
    hidden = p["weight_hh_l0"].shape[1]
    vocab = p["head.weight"].shape[0]
    h = [np.zeros(hidden) for _ in range(layers)]
    c = [np.zeros(hidden) for _ in range(layers)]
    total = 0.0
    for t in range(len(indices) - 1):
        x = np.zeros(vocab)
        x[indices[t]] = 1.0
        for k in range(layers):
            gi = p[f"weight_ih_l{k}"] @ x + p[f"bias_ih_l{k}"]
            gh = p[f"weight_hh_l{k}"] @ h[k] + p[f"bias_hh_l{k}"]
            H = hidden
            if cell == "rnn":
                h[k] = np.tanh(gi + gh)
            elif cell == "lstm":  # PyTorch: i, f, g, o
                a = gi + gh
                i, f, g, o = _sigmoid(a[:H]), _sigmoid(a[H:2 * H]), np.tanh(a[2 * H:3 * H]), _sigmoid(a[3 * H:])
                c[k] = f * c[k] + i * g
                h[k] = o * np.tanh(c[k])
            else:  # nn.GRU: r, z, n; n = tanh(W_in x + b_in + r * (W_hn h + b_hn))
                r = _sigmoid(gi[:H] + gh[:H])
                z = _sigmoid(gi[H:2 * H] + gh[H:2 * H])
                n = np.tanh(gi[2 * H:] + r * gh[2 * H:])
                h[k] = (1 - z) * n + z * h[k]
            x = h[k]
        y = p["head.weight"] @ h[-1] + p["head.bias"]
        m = y.max()
        total += np.log(np.exp(y - m).sum()) - (y[indices[t + 1]] - m)
    return total / (len(indices) - 1)


# --- training settings in the "config" metadata ---------------------------------------------------

def training_config(metadata):
    """The training settings a file's "config" metadata holds ({} when it has none); dropout and ema default to 0."""
    try:
        training = json.loads(metadata.get("config", "null") or "null").get("training") or {}
    except (ValueError, AttributeError):
        training = {}
    return {**training, "dropout": float(training.get("dropout", 0)), "ema": float(training.get("ema", 0))}


def config_metadata(cell, layers, hidden, vocab_size, training):
    """The "config" metadata string Char-RNN Studio writes and reads: the model and the training settings given."""
    model = {"cell": cell, "vocabSize": int(vocab_size), "hiddenSize": int(hidden), "layers": int(layers)}
    return json.dumps({"model": model, "training": training})


# --- safetensors without the safetensors package -------------------------------------------------

_DTYPES = {"F32": np.float32, "F64": np.float64}


def read_safetensors(path):
    """(tensors as numpy arrays, metadata dict)."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {}) or {}
    base = 8 + n
    tensors = {}
    for name, spec in header.items():
        if spec["dtype"] not in _DTYPES:
            raise ValueError(f"{name}: dtype {spec['dtype']} is not F32 or F64")
        begin, end = spec["data_offsets"]
        tensors[name] = np.frombuffer(raw[base + begin:base + end], dtype=_DTYPES[spec["dtype"]]).reshape(spec["shape"]).copy()
    return tensors, metadata


def write_safetensors(path, tensors, metadata):
    """Float32 tensors, in the order given, with string metadata (e.g. {"vocab": json.dumps(chars)})."""
    header, blobs, offset = {}, [], 0
    for name, array in tensors.items():
        data = np.ascontiguousarray(array, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    text = json.dumps(header, ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def engine_tensor_order(cell, layers):
    """Studio's layout order (as `char-rnn export` writes it)."""
    names = []
    for k in range(layers):
        if cell == "rnn":
            names += [_name("Wxh", k), _name("Whh", k), _name("bh", k)]
        elif cell == "lstm":
            names += [_name("Wxg", k), _name("Whg", k), _name("bg", k)]
        else:
            names += [_name("Wxg", k), _name("Whg", k), _name("bxg", k), _name("bhg", k)]
    return names + ["Why", "by"]


def encode(text, vocab):
    index = {ch: i for i, ch in enumerate(vocab)}
    missing = sorted({ch for ch in text if ch not in index})
    if missing:
        raise ValueError(f"the text has characters the model's vocabulary lacks: {missing[:10]}")
    return np.array([index[ch] for ch in text], dtype=np.int64)
