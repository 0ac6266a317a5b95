"""Round trip through the conversion functions with numpy alone (no torch needed).

  python3 roundtrip_numpy.py EXPORTED.safetensors TEXT OUT.safetensors

Reads a model `char-rnn export` wrote, converts it to PyTorch's layout (splitting single biases
into two random halves that add up), scores TEXT with a float64 numpy forward written in
PyTorch's equations and gate order, converts back to Studio's layout and writes OUT for
`char-rnn import`. Prints {"cell", "layers", "lossNats"} as one JSON line: lossNats should equal
`char-rnn eval` on the same text.
"""
import json
import sys

import numpy as np

from charrnn_convert import encode, engine_tensor_order, engine_to_torch, infer_shape, read_safetensors, torch_order_loss, torch_to_engine, write_safetensors


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    src, text_path, out = argv
    engine, metadata = read_safetensors(src)
    vocab = json.loads(metadata["vocab"])
    cell, layers, _, _ = infer_shape(engine)
    rng = np.random.default_rng(0)
    torch_params = engine_to_torch(engine, split_bias=lambda k, b: rng.standard_normal(b.shape).astype(b.dtype))
    with open(text_path, encoding="utf-8") as f:
        indices = encode(f.read(), vocab)
    loss = torch_order_loss(torch_params, cell, indices)
    back = torch_to_engine(torch_params, cell)
    write_safetensors(out, {name: back[name] for name in engine_tensor_order(cell, layers)}, {"vocab": metadata["vocab"]})
    print(json.dumps({"cell": cell, "layers": layers, "lossNats": float(loss)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
