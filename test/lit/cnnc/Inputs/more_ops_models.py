"""Writes small PyTorch models with the layers of CNN families beyond the
torchvision classifiers, exported to ONNX, each with a reference input and
its output from PyTorch in float64, for more-ops.test:

  activations    leaky ReLU, PReLU (per channel and shared), ELU, SELU,
                 softplus, tanh, Mish (exported as Softplus, Tanh, Mul)
  deconv_*       ConvTranspose2d: U-Net's 2x2 stride 2; DCGAN's 4x4 stride 2
                 pad 1 with BatchNorm and ReLU (folded and fused through the
                 depth-to-space); 3x3 stride 2 with output_padding; groups;
                 dilation; a rectangular stride; a 1x1 latent input; an
                 output_padding beyond the full result (zeros plus the bias)
  norms          InstanceNorm2d (affine) and GroupNorm
  pixel_shuffle  nn.PixelShuffle (ONNX DepthToSpace, CRD)
  squeeze_head   a squeeze-excitation block written with squeeze() and
                 unsqueeze() of computed tensors, and a log_softmax head
  se_gates       squeeze-excitation gates (sigmoid, hard-sigmoid) applied by
                 the next convolution: 1x1 with batch norm and a residual,
                 3x3 padded, strided; ragged channel counts, batch 3
  squeeze_rows   global poolings of depthwise outputs summed in the
                 depthwise layers' blocks (in_producer): squeeze-excitation
                 (sigmoid, hard-sigmoid) after a SiLU, an activation-free
                 5x5 stride-2 and a dilated hard-swish layer, whose pooling
                 feeds a linear classifier; a prime width; batch 3
  separable      depthwise layers computed by the 1x1 convolution that
                 follows (in_consumer): ragged channels, a 5x5 stride-2 and
                 a dilated window, hard-swish, a residual; and two that stay
                 layers of their own (an output with two users, a 3x3
                 consumer); batch 3, odd sizes

usage: more_ops_models.py OUTDIR     prints the case names
"""
import os
import sys
import warnings

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)


def conv_bn(cin, cout, **kw):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, **kw), nn.BatchNorm2d(cout))


class Activations(nn.Module):
    def __init__(self):
        super().__init__()
        self.convs = nn.ModuleList([conv_bn(3 if i == 0 else 16, 16) for i in range(8)])
        self.acts = nn.ModuleList([nn.LeakyReLU(0.1), nn.PReLU(16), nn.ELU(), nn.SELU(),
                                   nn.Softplus(), nn.Tanh(), nn.Mish(), nn.PReLU()])

    def forward(self, x):
        for conv, act in zip(self.convs, self.acts):
            x = act(conv(x))
        return x


class Deconv(nn.Module):
    def __init__(self, cin, cout, norm=False, **kw):
        super().__init__()
        self.conv = nn.Conv2d(3, cin, 1)
        self.deconv = nn.ConvTranspose2d(cin, cout, **kw)
        self.post = nn.Sequential(nn.BatchNorm2d(cout), nn.ReLU()) if norm else nn.Identity()

    def forward(self, x):
        return self.post(self.deconv(self.conv(x)))


class Norms(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(3, 32, 3, padding=1)
        self.instance = nn.InstanceNorm2d(32, affine=True)
        self.b = nn.Conv2d(32, 32, 3, padding=1)
        self.group = nn.GroupNorm(8, 32)

    def forward(self, x):
        return self.group(self.b(F.relu(self.instance(self.a(x)))))


class PixelShuffle(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 36, 3, padding=1)
        self.shuffle = nn.PixelShuffle(3)

    def forward(self, x):
        return self.shuffle(self.conv(x))


class SqueezeHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 16, 3, padding=1)
        self.fc1 = nn.Linear(16, 4)
        self.fc2 = nn.Linear(4, 16)
        self.head = nn.Linear(16, 10)

    def forward(self, x):
        x = F.relu(self.conv(x))
        s = F.adaptive_avg_pool2d(x, 1).squeeze(-1).squeeze(-1)
        s = torch.sigmoid(self.fc2(F.relu(self.fc1(s))))
        x = x * s.unsqueeze(-1).unsqueeze(-1)
        return F.log_softmax(self.head(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)), dim=1)


class SEGates(nn.Module):
    """Squeeze-excitation blocks whose gated map feeds a convolution: the
    product becomes the convolution's input scale (per image and channel)."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 24, 3, padding=1), nn.BatchNorm2d(24), nn.SiLU())
        self.dw = nn.Sequential(nn.Conv2d(24, 24, 3, padding=1, groups=24), nn.BatchNorm2d(24),
                                nn.SiLU())
        self.se1 = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(24, 6, 1), nn.SiLU(),
                                 nn.Conv2d(6, 24, 1), nn.Sigmoid())
        self.project = nn.Sequential(nn.Conv2d(24, 24, 1, bias=False), nn.BatchNorm2d(24))
        self.se2 = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(24, 8, 1), nn.ReLU(),
                                 nn.Conv2d(8, 24, 1), nn.Hardsigmoid())
        self.conv3 = nn.Conv2d(24, 40, 3, padding=1)
        self.se3 = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(40, 10, 1), nn.ReLU(),
                                 nn.Conv2d(10, 40, 1), nn.Sigmoid())
        self.down = nn.Conv2d(40, 20, 3, stride=2, padding=1)

    def forward(self, x):
        x = self.stem(x)
        y = self.dw(x)
        x = x + self.project(y * self.se1(y))
        x = F.relu(self.conv3(x * self.se2(x)))
        return self.down(x * self.se3(x))


def dw_bn(c, act, k=3, **kw):
    return nn.Sequential(nn.Conv2d(c, c, k, groups=c, bias=False, **kw), nn.BatchNorm2d(c), act)


def pw_bn(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout))


class Separable(nn.Module):
    """Depthwise-separable and inverted-residual blocks (MobileNet's)."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 24, 3, padding=1), nn.BatchNorm2d(24), nn.ReLU6())
        self.dw1 = dw_bn(24, nn.ReLU6(), padding=1)
        self.pw1 = pw_bn(24, 40)
        self.expand = nn.Sequential(pw_bn(40, 96), nn.ReLU6())
        self.dw2 = dw_bn(96, nn.ReLU6(), k=5, stride=2, padding=2)
        self.pw2 = pw_bn(96, 32)
        self.dw3 = dw_bn(32, nn.Hardswish(), padding=2, dilation=2)
        self.pw3 = pw_bn(32, 32)
        self.dw4 = dw_bn(32, nn.ReLU(), padding=1)
        self.pw4 = pw_bn(32, 16)
        self.dw5 = dw_bn(48, nn.ReLU(), padding=1)
        self.conv5 = nn.Conv2d(48, 8, 3, padding=1)

    def forward(self, x):
        x = self.pw1(self.dw1(self.stem(x)))
        x = self.pw2(self.dw2(self.expand(x)))
        x = x + self.pw3(self.dw3(x))
        y = self.dw4(x)
        x = torch.cat([self.pw4(y), y], 1)
        return self.conv5(self.dw5(x))


class SqueezeRows(nn.Module):
    """Global poolings of depthwise layers' outputs, summed in those layers'
    register blocks (in_producer): squeeze-excitation's squeeze and a
    classifier's pooling."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 24, 3, padding=1), nn.BatchNorm2d(24), nn.SiLU())
        self.dw1 = dw_bn(24, nn.SiLU(), padding=1)
        self.se1 = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(24, 6, 1), nn.SiLU(),
                                 nn.Conv2d(6, 24, 1), nn.Sigmoid())
        self.pw1 = pw_bn(24, 40)
        self.dw2 = dw_bn(40, nn.Identity(), k=5, stride=2, padding=2)
        self.se2 = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(40, 16, 1), nn.ReLU(),
                                 nn.Conv2d(16, 40, 1), nn.Hardsigmoid())
        self.pw2 = pw_bn(40, 48)
        self.dw3 = dw_bn(48, nn.Hardswish(), padding=2, dilation=2)
        self.head = nn.Linear(48, 10)

    def forward(self, x):
        y = self.dw1(self.stem(x))
        x = self.pw1(y * self.se1(y))
        y = self.dw2(x)
        x = self.pw2(y * self.se2(y))
        y = self.dw3(x)
        return self.head(torch.flatten(F.adaptive_avg_pool2d(y, 1), 1))


CASES = {
    "activations": (Activations(), (2, 3, 9, 7)),
    "deconv_unet": (Deconv(16, 8, kernel_size=2, stride=2), (1, 3, 7, 9)),
    "deconv_dcgan": (Deconv(16, 32, norm=True, kernel_size=4, stride=2, padding=1,
                            bias=False), (2, 3, 6, 5)),
    "deconv_output_padding": (Deconv(16, 8, kernel_size=3, stride=2, padding=1,
                                     output_padding=1), (1, 3, 8, 8)),
    "deconv_groups": (Deconv(16, 16, norm=True, kernel_size=3, stride=2, padding=1,
                             groups=4), (1, 3, 6, 6)),
    "deconv_dilation": (Deconv(8, 8, kernel_size=3, stride=2, dilation=2, padding=2),
                        (1, 3, 6, 6)),
    "deconv_rect": (Deconv(8, 8, kernel_size=(3, 2), stride=(2, 1), padding=(1, 0)),
                    (1, 3, 6, 6)),
    "deconv_latent": (Deconv(8, 16, norm=True, kernel_size=4, stride=1), (2, 3, 1, 1)),
    "deconv_beyond": (Deconv(8, 8, kernel_size=4, stride=2, output_padding=1),
                      (1, 3, 5, 6)),
    "norms": (Norms(), (2, 3, 8, 6)),
    "pixel_shuffle": (PixelShuffle(), (1, 3, 5, 4)),
    "squeeze_head": (SqueezeHead(), (2, 3, 6, 6)),
    "se_gates": (SEGates(), (3, 3, 9, 11)),
    "separable": (Separable(), (3, 3, 13, 23)),
    "squeeze_rows": (SqueezeRows(), (3, 3, 13, 23)),
}

for name, (model, shape) in CASES.items():
    # BatchNorm statistics and affine parameters that are not the identity.
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.normal_(0.0, 0.2)
            m.running_var.uniform_(0.5, 2.0)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.normal_(0.0, 0.2)
        if isinstance(m, (nn.InstanceNorm2d, nn.GroupNorm, nn.PReLU)):
            m.weight.data.uniform_(0.1, 1.5)
            if getattr(m, "bias", None) is not None:
                m.bias.data.normal_(0.0, 0.2)
    model.eval()
    x = torch.randn(*shape)
    np.save(os.path.join(out, name + ".input.npy"), x.numpy())
    with torch.no_grad():
        np.save(os.path.join(out, name + ".npy"),
                model.double()(x.double()).float().numpy())
        model.float()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(model, x, os.path.join(out, name + ".onnx"),
                              opset_version=13, input_names=["input"],
                              output_names=["output"])
print(" ".join(CASES))
