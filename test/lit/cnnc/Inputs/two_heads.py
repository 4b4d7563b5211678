"""A network with two inputs and two outputs (an auxiliary head), as ONNX
with a symbolic batch, with inputs and PyTorch's outputs at batch 3:

  two_heads.py DIR  ->  DIR/model.onnx, DIR/{image,mask}.npy,
                        DIR/{logits,aux}_expected.npy
"""
import os
import sys

import numpy as np
import torch
from torch import nn


class TwoHeads(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8),
                                  nn.ReLU())
        self.mask = nn.Conv2d(1, 8, 3, padding=1)
        self.body = nn.Sequential(nn.Conv2d(8, 16, 3, stride=2, padding=1),
                                  nn.ReLU())
        self.aux = nn.Linear(8, 4)
        self.head = nn.Linear(16, 10)

    def forward(self, image, mask):
        x = self.stem(image) + self.mask(mask)
        aux = self.aux(torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1))
        y = self.body(x)
        logits = self.head(torch.flatten(nn.functional.adaptive_avg_pool2d(y, 1), 1))
        return logits, aux


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    model = TwoHeads().eval()
    with torch.no_grad():
        for p in model.stem[1].parameters():
            p.uniform_(0.5, 1.5)
        model.stem[1].running_mean.uniform_(-0.2, 0.2)
        model.stem[1].running_var.uniform_(0.5, 1.5)
    image, mask = torch.randn(3, 3, 16, 12), torch.randn(3, 1, 16, 12)
    batch = {0: "batch"}
    torch.onnx.export(model, (image[:1], mask[:1]), os.path.join(out, "model.onnx"),
                      input_names=["image", "mask"], output_names=["logits", "aux"],
                      dynamic_axes={"image": batch, "mask": batch, "logits": batch,
                                    "aux": batch},
                      opset_version=13)
    with torch.no_grad():
        logits, aux = model(image, mask)
    np.save(os.path.join(out, "image.npy"), image.numpy())
    np.save(os.path.join(out, "mask.npy"), mask.numpy())
    np.save(os.path.join(out, "logits_expected.npy"), logits.numpy())
    np.save(os.path.join(out, "aux_expected.npy"), aux.numpy())


if __name__ == "__main__":
    main()
