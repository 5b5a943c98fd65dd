"""Exports a tensornode MNIST CNN directory (model.json + weights.safetensors, NHWC) to ONNX for bench/serve's peer.

The ONNX graph takes the same input as `tensornode serve` ([N, 28, 28, 1] float32, named conv2d_input) and gives
the same softmax output, so both servers answer the same request body. Weights are converted from tensornode's
layouts (conv [kh, kw, in, out] in model format 2, [out, kh, kw, in] in format 1; dense [in, out]; NHWC flatten) to PyTorch's (OIHW, [out, in], NCHW) on the way.

    python bench/serve/export_onnx.py <model dir> <out.onnx>
Needs torch, onnx and safetensors (see bench/serve/README.md); tests never run it.
"""
import json
import sys

import numpy as np
import torch
from safetensors.numpy import load_file


class MnistCnn(torch.nn.Module):
    """conv 32@3x3 relu, maxpool 2, conv 64@3x3 relu, maxpool 2, flatten (NHWC order), dense 64 relu, dense 10 softmax."""

    def __init__(self):
        super().__init__()
        self.c1 = torch.nn.Conv2d(1, 32, 3)
        self.c2 = torch.nn.Conv2d(32, 64, 3)
        self.d1 = torch.nn.Linear(5 * 5 * 64, 64)
        self.d2 = torch.nn.Linear(64, 10)

    def forward(self, x):  # x: [N, 28, 28, 1], channels last like the tensornode model
        x = x.permute(0, 3, 1, 2)
        x = torch.max_pool2d(torch.relu(self.c1(x)), 2)
        x = torch.max_pool2d(torch.relu(self.c2(x)), 2)
        x = x.permute(0, 2, 3, 1).reshape(x.shape[0], -1)  # flatten in NHWC order, as tensornode's Flatten does
        x = torch.relu(self.d1(x))
        return torch.softmax(self.d2(x), dim=1)


def main(model_dir, out):
    spec = json.load(open(f"{model_dir}/model.json"))
    layers = [l["config"]["name"] for l in spec["config"]["layers"]]
    w = load_file(f"{model_dir}/weights.safetensors")
    conv = [n for n in layers if n.startswith("conv2d")]
    dense = [n for n in layers if n.startswith("dense")]
    to_oihw = (3, 2, 0, 1) if spec.get("version", 1) >= 2 else (0, 3, 1, 2)
    m = MnistCnn()
    with torch.no_grad():
        for mod, name in zip([m.c1, m.c2], conv):
            mod.weight.copy_(torch.from_numpy(np.ascontiguousarray(w[f"{name}/kernel"].transpose(*to_oihw))))
            mod.bias.copy_(torch.from_numpy(w[f"{name}/bias"]))
        for mod, name in zip([m.d1, m.d2], dense):
            mod.weight.copy_(torch.from_numpy(np.ascontiguousarray(w[f"{name}/kernel"].T)))
            mod.bias.copy_(torch.from_numpy(w[f"{name}/bias"]))
    m.eval()
    x = torch.rand(2, 28, 28, 1)
    torch.onnx.export(m, (x,), out, input_names=["conv2d_input"], output_names=["dense_1"],
                      dynamic_axes={"conv2d_input": {0: "batch"}, "dense_1": {0: "batch"}}, opset_version=17, dynamo=False)
    print(f"wrote {out} from {model_dir} ({', '.join(conv + dense)})")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
