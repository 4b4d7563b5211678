#!/usr/bin/env python3
"""Export torchvision CNNs and the CIFAR-10 ResNets to ONNX for cnnc, with
seeded random weights or a user's weights, and optionally write a reference
input and output.

  export.py resnet50 --out resnet50.onnx
  export.py vgg16_bn --batch 2 --height 64 --width 48 --keep-bn \\
            --out vgg16_bn.onnx --reference ref/
  export.py resnet18 --weights my_resnet18.pth --out r18.onnx
  export.py resnet20_a --out resnet20_a.onnx          # 1x3x32x32
  export.py --params resnet56_b                       # prints 855770
  export.py --list

Architectures: the torchvision 0.14 constructors (weights=None) of
  vgg11 vgg13 vgg16 vgg19 vgg11_bn vgg13_bn vgg16_bn vgg19_bn
  resnet18 resnet34 resnet50 resnet101 resnet152 resnext50_32x4d wide_resnet50_2
and the CIFAR-10 networks of He et al. 2015 ("Deep Residual Learning", 4.2),
defined here in plain torch.nn (family "cifar", default input 32x32):
  resnetD_a  D = 20 32 44 56 110: option A shortcuts (identity; where the shape
             changes, x[:, :, ::2, ::2] zero-padded to twice the channels, as
             akamaster/pytorch_resnet_cifar10's LambdaLayer: Slice + Pad in ONNX)
  resnetD_b  option B shortcuts (identity; 1x1 conv stride 2 + BN projection
             where the shape changes)
  plainD     the same networks without shortcuts
  conv3x3(3->16)-BN-ReLU, three stages of n = (D-2)/6 basic blocks with 16, 32
  and 64 channels (stride 2 in the first block of stages 2 and 3), global
  average pool, Linear(64, 10). Parameter names follow akamaster's, so its
  checkpoints load with --weights.
The efficient torchvision families (MobileNet, EfficientNet, RegNet,
DenseNet, GoogLeNet/Inception, SqueezeNet, ShuffleNet, ConvNeXt, MNASNet),
FCN-ResNet50, and three networks beyond torchvision, also in plain torch.nn
(family "beyond"): unet (U-Net with transposed convolutions), darknet53
(YOLOv3's backbone, leaky ReLU) and dcgan (DCGAN's generator: input
N x 100 x 1 x 1, output N x 3 x 64 x 64). --list prints every name.

Export modes
  default     eval-mode export with do_constant_folding=True. torch.onnx folds
              every BatchNorm into the preceding Conv (weights and bias), so
              the graph has no BatchNormalization node.
  --keep-bn   the model is still in eval mode, but it is exported with
              training=torch.onnx.TrainingMode.PRESERVE and
              do_constant_folding=False. PRESERVE means "export the module's
              own mode", which is eval, so BatchNormalization comes out in
              inference form (one output, running mean/var as initializers,
              training_mode=0 on opset >= 14) and is not folded into Conv.
              (do_constant_folding=False alone is NOT enough: with the default
              TrainingMode.EVAL the exporter fuses Conv+BN in its own JIT pass
              before constant folding.)

Weights (when --weights is not given): deterministic for (arch, --seed) and
independent of the input size.
  * Conv and Linear weights ~ N(0, 2/fan_in) (Kaiming, fan_in, relu); biases
    ~ N(0, 0.1^2). No zero-init of the last BN of residual blocks: every
    residual branch is active.
  * BatchNorm: the running statistics are calibrated in one eval-mode forward
    pass over a seeded 1x3x224x224 N(0,1) input: just before each BN runs, a
    hook sets its statistics from its actual input (produced by the already
    randomized layers before it) and then randomizes them: running_var =
    var * U(0.5, 2), running_mean = mean + N(0, 0.2^2) * std, weight ~
    U(0.5, 1.5), bias ~ N(0, 0.2^2). Eval-mode BN does not renormalize, so
    without this the activations of resnet152 grow to 1e3 and more; with it
    the logits are O(1..10) at every depth and at every input size.
  * CIFAR nets: the calibration input is 1x3x32x32. The plain nets draw the
    BN bias from N(1, 0.2^2) instead: with zero-mean biases a deep plain
    BN-ReLU stack is chaotic at random weights (each layer amplifies relative
    perturbations ~1.1x), so that PyTorch's own float32 forward of plain110
    differs from float64 by 5..30% and plain56 by 1e-4; with the shifted bias
    it is 2e-5 and 1e-6.

--params prints sum(p.numel()) over the parameters of the unmodified PyTorch
model (BN weight and bias included, running statistics not; VGG with its
Linear(25088, 4096) whatever the input size).

VGG head: torchvision's VGG has AdaptiveAvgPool2d((7, 7)) + Linear(25088, 4096).
torch.onnx can only export adaptive pooling when the feature map (H/32 x W/32)
is a multiple of 7, so that is kept as is (224x224: 7x7 features, the pool is an
identity, emitted as AveragePool kernel 1x1 stride 1x1). For every other size the
exported graph replaces the pair by the exactly equivalent Flatten +
Linear(512*h*w, 4096): adaptive average pooling is linear, so its matrix is
multiplied into the first classifier weight. The function computed is the one
of the unmodified torchvision model at that input size (the reference output is
always computed with the unmodified model); only the first Linear's in_features
differs (512 for inputs below 64x64). At 1x1 features (inputs 32..63) this is
exactly "global average pool + Linear(512)" with the weight summed over the 49
replicated positions.

CIFAR option A: torch.onnx (1.13) computes F.pad's `pads` input with a chain
of ConstantOfShape, Concat, Reshape, Slice, Transpose and Cast nodes that its
constant folding leaves alone; fold_constants() replaces it by an int64
initializer (see there), so each shortcut is Slice, Slice (axes 2 and 3, step
2, Constant-node inputs) and Pad(pads initializer, Constant 0.0, mode
"constant"). --no-fold keeps torch's own graph.

Reference (--reference DIR): DIR/input.npy ~ N(0, 1) seeded with --seed (float32,
C order, the model's input shape) and DIR/expected.npy, the unmodified model's
output in eval mode, computed in float64 and stored as float32.
"""

import argparse
import collections
import copy
import functools
import os
import re
import sys
import time
import warnings

import numpy as np

TORCHVISION_ARCHS = [
    "vgg11", "vgg13", "vgg16", "vgg19",
    "vgg11_bn", "vgg13_bn", "vgg16_bn", "vgg19_bn",
    "resnet18", "resnet34", "resnet50", "resnet101", "resnet152",
    "resnext50_32x4d", "wide_resnet50_2",
    # Large strided first filters (11x11/4, 5x5), no BatchNorm.
    "alexnet",
]

# The efficient families: depthwise-separable and inverted-residual blocks
# (ReLU6, hard-swish, SiLU), squeeze-excitation, dense concatenation,
# Inception-style branches.
EFFICIENT_ARCHS = [
    "mobilenet_v2", "mobilenet_v3_small", "mobilenet_v3_large",
    "efficientnet_b0", "mnasnet0_5", "mnasnet1_0",
    "regnet_x_400mf", "regnet_y_400mf",
    "densenet121", "squeezenet1_0", "squeezenet1_1", "googlenet",
    "inception_v3", "shufflenet_v2_x0_5", "shufflenet_v2_x1_0",
    # LayerNorm, GELU and per-pixel linear layers (ConvNeXt's blocks).
    "convnext_tiny",
]
TORCHVISION_ARCHS += EFFICIENT_ARCHS

# The larger members of the efficient families: the same blocks, wider or
# deeper (EfficientNet's compound scaling, DenseNet's growth, RegNet's
# larger group widths of 16 to 120 channels). Only in the full suite (they
# add nothing the fast suite's small members do not exercise, and take
# minutes to compile on 2 cores).
LARGE_EFFICIENT_ARCHS = [
    "efficientnet_b1", "efficientnet_b2", "efficientnet_b3",
    "densenet161", "densenet169", "densenet201",
    "regnet_x_800mf", "regnet_y_800mf", "regnet_x_1_6gf", "regnet_y_1_6gf",
    "regnet_x_3_2gf", "regnet_y_3_2gf", "regnet_x_8gf", "regnet_y_8gf",
    "shufflenet_v2_x1_5", "shufflenet_v2_x2_0", "convnext_small",
]

# Beyond classification: semantic segmentation with a dilated ResNet-50
# backbone and a bilinear Resize back to the input size (4-D output).
SEGMENTATION_ARCHS = ["fcn_resnet50"]
TORCHVISION_ARCHS += SEGMENTATION_ARCHS

# Beyond torchvision, defined here in plain torch.nn (family "beyond"):
#   unet       U-Net (Ronneberger et al. 2015) with BatchNorm, padded 3x3
#              convolutions, 2x2 stride-2 transposed convolutions up, 2 classes
#   darknet53  YOLOv3's backbone (Redmon & Farhadi 2018): conv-BN-leaky ReLU,
#              residual blocks, global pool and a 1000-way classifier
#   dcgan      DCGAN's generator (Radford et al. 2016): a 100-d latent
#              (input N x 100 x 1 x 1, whatever the size asked) through 4x4
#              transposed convolutions with BN and ReLU to a 64x64 tanh image
BEYOND_ARCHS = ["unet", "darknet53", "dcgan"]
TORCHVISION_ARCHS += BEYOND_ARCHS

# He et al. 2015, section 4.2: depth 6n+2, n basic blocks per stage.
CIFAR_DEPTHS = (20, 32, 44, 56, 110)
CIFAR_ARCHS = [name % d for d in CIFAR_DEPTHS
               for name in ("resnet%d_a", "resnet%d_b", "plain%d")]

ARCHS = TORCHVISION_ARCHS + LARGE_EFFICIENT_ARCHS + CIFAR_ARCHS

CALIB_SHAPE = (1, 3, 224, 224)
CIFAR_CALIB_SHAPE = (1, 3, 32, 32)
# Mean of the random BatchNorm bias of the plain CIFAR nets (0 for the others):
# see the module doc.
PLAIN_BN_BIAS_MEAN = 1.0


def family(arch):
    """"vgg", "resnet" (torchvision ResNet / ResNeXt / Wide ResNet and the
    other torchvision nets), "cifar" or "beyond" (BEYOND_ARCHS)."""
    if arch in CIFAR_ARCHS:
        return "cifar"
    if arch in BEYOND_ARCHS:
        return "beyond"
    return "vgg" if arch.startswith("vgg") else "resnet"


def default_size(arch):
    """The input height and width the architecture was designed for."""
    if arch == "inception_v3":
        return (299, 299)
    return (32, 32) if family(arch) == "cifar" else (224, 224)


def min_size(arch):
    """The smallest input height and width the architecture accepts (its
    downsampling leaves at least one pixel; AlexNet's adaptive average
    pooling to 6x6 exports as an AveragePool only from features that 6
    divides, 6x6 itself from 223 to 226 pixels)."""
    return {"inception_v3": 75, "alexnet": 224}.get(arch, 32)


def input_shape(arch, batch, height, width):
    """The model's input shape: [batch, 3, height, width], or DCGAN's latent
    [batch, 100, 1, 1] (its output is 64x64 whatever is asked)."""
    if arch == "dcgan":
        return (batch, 100, 1, 1)
    return (batch, 3, height, width)


def cifar_config(arch):
    """(depth, shortcut) of a CIFAR architecture; shortcut "A", "B" or None (plain)."""
    m = re.fullmatch(r"(resnet|plain)(\d+)(?:_([ab]))?", arch)
    if arch not in CIFAR_ARCHS or not m:
        raise ValueError("not a CIFAR architecture: %r" % arch)
    return int(m.group(2)), (m.group(3).upper() if m.group(3) else None)


def _torch():
    import torch
    return torch


@functools.lru_cache(maxsize=None)
def _cifar_classes():
    """The CIFAR-10 networks of He et al. 2015, section 4.2, in plain torch.nn
    (defined on first use so that importing this module does not import torch).

    Module and parameter names follow akamaster/pytorch_resnet_cifar10
    (conv1 bn1 layer1..3 linear; blocks conv1 bn1 conv2 bn2 shortcut), so its
    checkpoints load with --weights (resnet*_a)."""
    torch = _torch()
    nn = torch.nn
    F = torch.nn.functional

    class ShortcutA(nn.Module):
        """Option A: identity, subsampled with stride 2 and zero-padded from
        in_planes to planes = 2 * in_planes channels (planes // 4 zero channels
        before and after): akamaster's LambdaLayer. Exports as Slice + Pad."""

        def __init__(self, in_planes, planes):
            super().__init__()
            if planes != 2 * in_planes:
                raise ValueError("option A shortcut needs planes == 2 * in_planes")
            self.pad = planes // 4

        def forward(self, x):
            return F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, self.pad, self.pad), "constant", 0)

    class BasicBlock(nn.Module):
        """conv3x3-BN-ReLU-conv3x3-BN, + shortcut, ReLU. shortcut "A" (identity,
        zero-padding where the shape changes), "B" (identity, 1x1 conv + BN
        projection where the shape changes) or None (plain: no shortcut)."""

        def __init__(self, in_planes, planes, stride=1, shortcut="A"):
            super().__init__()
            self.conv1 = nn.Conv2d(in_planes, planes, 3, stride=stride, padding=1, bias=False)
            self.bn1 = nn.BatchNorm2d(planes)
            self.conv2 = nn.Conv2d(planes, planes, 3, stride=1, padding=1, bias=False)
            self.bn2 = nn.BatchNorm2d(planes)
            self.residual = shortcut is not None
            self.shortcut = nn.Sequential()  # identity
            if self.residual and (stride != 1 or in_planes != planes):
                if shortcut == "A":
                    if stride != 2:
                        raise ValueError("option A shortcut needs stride 2")
                    self.shortcut = ShortcutA(in_planes, planes)
                elif shortcut == "B":
                    self.shortcut = nn.Sequential(
                        nn.Conv2d(in_planes, planes, 1, stride=stride, bias=False),
                        nn.BatchNorm2d(planes))
                else:
                    raise ValueError("unknown shortcut option %r" % shortcut)

        def forward(self, x):
            out = F.relu(self.bn1(self.conv1(x)))
            out = self.bn2(self.conv2(out))
            if self.residual:
                out = out + self.shortcut(x)
            return F.relu(out)

    class CifarResNet(nn.Module):
        """depth = 6n + 2: conv3x3(3->16)-BN-ReLU, three stages of n blocks with
        16, 32, 64 channels (stride 2 in the first block of stages 2 and 3),
        global average pool, Linear(64, num_classes)."""

        def __init__(self, depth, shortcut="A", num_classes=10):
            super().__init__()
            if (depth - 2) % 6 or depth < 8:
                raise ValueError("depth must be 6n + 2 (got %d)" % depth)
            n = (depth - 2) // 6
            self.conv1 = nn.Conv2d(3, 16, 3, stride=1, padding=1, bias=False)
            self.bn1 = nn.BatchNorm2d(16)
            layers, in_planes = [], 16
            for planes, stride in ((16, 1), (32, 2), (64, 2)):
                blocks = []
                for i in range(n):
                    blocks.append(BasicBlock(in_planes, planes, stride if i == 0 else 1,
                                             shortcut))
                    in_planes = planes
                layers.append(nn.Sequential(*blocks))
            self.layer1, self.layer2, self.layer3 = layers
            self.avgpool = nn.AdaptiveAvgPool2d(1)
            self.linear = nn.Linear(64, num_classes)

        def forward(self, x):
            x = F.relu(self.bn1(self.conv1(x)))
            x = self.layer3(self.layer2(self.layer1(x)))
            return self.linear(torch.flatten(self.avgpool(x), 1))

    return {"ShortcutA": ShortcutA, "BasicBlock": BasicBlock, "CifarResNet": CifarResNet}


@functools.lru_cache(maxsize=None)
def _beyond_classes():
    """BEYOND_ARCHS in plain torch.nn (defined on first use)."""
    torch = _torch()
    nn = torch.nn
    F = torch.nn.functional

    def double_conv(cin, cout):
        return nn.Sequential(
            nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(True),
            nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(True))

    class UNet(nn.Module):
        """Four 2x2 max-pool downsamplings (64 to 1024 channels), four 2x2
        stride-2 transposed convolutions up, each concatenated with the
        encoder's features of its size; a 1x1 classifier. Input sizes are
        multiples of 16."""

        def __init__(self, channels=(64, 128, 256, 512, 1024), classes=2):
            super().__init__()
            c = channels
            self.inc = double_conv(3, c[0])
            self.down = nn.ModuleList([double_conv(c[i], c[i + 1]) for i in range(4)])
            self.up = nn.ModuleList([nn.ConvTranspose2d(c[i + 1], c[i], 2, stride=2)
                                     for i in reversed(range(4))])
            self.dec = nn.ModuleList([double_conv(2 * c[i], c[i]) for i in reversed(range(4))])
            self.outc = nn.Conv2d(c[0], classes, 1)

        def forward(self, x):
            skips = [self.inc(x)]
            for down in self.down:
                skips.append(down(F.max_pool2d(skips[-1], 2)))
            y = skips.pop()
            for up, dec in zip(self.up, self.dec):
                y = dec(torch.cat([skips.pop(), up(y)], 1))
            return self.outc(y)

    def conv_bn_leaky(cin, cout, k, stride=1):
        return nn.Sequential(nn.Conv2d(cin, cout, k, stride, k // 2, bias=False),
                             nn.BatchNorm2d(cout), nn.LeakyReLU(0.1, True))

    class DarkResidual(nn.Module):
        def __init__(self, c):
            super().__init__()
            self.a = conv_bn_leaky(c, c // 2, 1)
            self.b = conv_bn_leaky(c // 2, c, 3)

        def forward(self, x):
            return x + self.b(self.a(x))

    class Darknet53(nn.Module):
        """conv 32, then five stages (a stride-2 3x3 convolution doubling
        the channels, then 1, 2, 8, 8, 4 residual blocks), global average
        pool, Linear(1024, 1000)."""

        def __init__(self, classes=1000):
            super().__init__()
            layers, c = [conv_bn_leaky(3, 32, 3)], 32
            for blocks in (1, 2, 8, 8, 4):
                layers.append(conv_bn_leaky(c, 2 * c, 3, 2))
                c *= 2
                layers += [DarkResidual(c) for _ in range(blocks)]
            self.features = nn.Sequential(*layers)
            self.fc = nn.Linear(c, classes)

        def forward(self, x):
            return self.fc(torch.flatten(F.adaptive_avg_pool2d(self.features(x), 1), 1))

    class DCGANGenerator(nn.Module):
        """100 -> 512 x 4 x 4 (4x4 transposed convolution of the 1x1 latent),
        then 4x4 stride-2 padding-1 transposed convolutions with BN and ReLU
        to 256, 128, 64 channels and to 3 with tanh: 64 x 64."""

        def __init__(self, nz=100, ngf=64):
            super().__init__()
            ch = [nz, ngf * 8, ngf * 4, ngf * 2, ngf]
            layers = [nn.ConvTranspose2d(nz, ch[1], 4, 1, 0, bias=False),
                      nn.BatchNorm2d(ch[1]), nn.ReLU(True)]
            for i in range(1, 4):
                layers += [nn.ConvTranspose2d(ch[i], ch[i + 1], 4, 2, 1, bias=False),
                           nn.BatchNorm2d(ch[i + 1]), nn.ReLU(True)]
            layers += [nn.ConvTranspose2d(ngf, 3, 4, 2, 1, bias=False), nn.Tanh()]
            self.main = nn.Sequential(*layers)

        def forward(self, x):
            return self.main(x)

    return {"unet": UNet, "darknet53": Darknet53, "dcgan": DCGANGenerator}


def construct(arch, init=True):
    """The architecture's nn.Module with its constructor's own initialization
    (init=False skips VGG's, which build() overwrites anyway)."""
    if arch not in ARCHS:
        raise ValueError("unknown architecture %r (known: %s)" % (arch, " ".join(ARCHS)))
    if family(arch) == "cifar":
        depth, shortcut = cifar_config(arch)
        return _cifar_classes()["CifarResNet"](depth, shortcut)
    if family(arch) == "beyond":
        return _beyond_classes()[arch]()
    import torchvision
    kw = {"init_weights": False} if family(arch) == "vgg" and not init else {}
    if arch in SEGMENTATION_ARCHS:
        return _segmentation_model(arch)
    if arch in ("googlenet", "inception_v3"):
        # The auxiliary classifiers run in training only: without them the
        # eval-mode graph is the same and the parameter count is the graph's.
        kw = {"aux_logits": False, "init_weights": init}
    return getattr(torchvision.models, arch)(weights=None, **kw)


def _segmentation_model(arch):
    """torchvision's segmentation model without its auxiliary head (used in
    training only), returning the "out" logits as a tensor."""
    torch = _torch()
    import torchvision.models.segmentation as seg

    class Logits(torch.nn.Module):
        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, x):
            return self.model(x)["out"]

    return Logits(getattr(seg, arch)(weights=None, weights_backbone=None, aux_loss=False))


def num_params(arch):
    """sum(p.numel()) over the parameters of the unmodified PyTorch model
    (BatchNorm weight and bias count, its running statistics do not)."""
    return sum(p.numel() for p in construct(arch, init=False).parameters())


def build(arch, seed=0, weights=None):
    """The unmodified PyTorch model (torchvision, or the CIFAR ResNets below)
    in eval mode, float32."""
    torch = _torch()
    torch.manual_seed(seed)  # torchvision's own init; overwritten below anyway
    model = construct(arch, init=bool(weights))
    if weights:
        state = torch.load(weights, map_location="cpu")
        if isinstance(state, dict) and isinstance(state.get("state_dict"), dict):
            state = state["state_dict"]
        if isinstance(state, torch.nn.Module):
            state = state.state_dict()
        state = {(k[7:] if k.startswith("module.") else k): v for k, v in state.items()}
        model.load_state_dict(state, strict=True)
    else:
        cifar = family(arch) == "cifar"
        calib = CIFAR_CALIB_SHAPE if cifar else input_shape(arch, *CALIB_SHAPE[:1],
                                                            *CALIB_SHAPE[2:])
        randomize_(model, seed, calib_shape=calib,
                   bn_bias_mean=PLAIN_BN_BIAS_MEAN if arch.startswith("plain") else 0.0)
    return model.eval()


def randomize_(model, seed, calib_shape=CALIB_SHAPE, bn_bias_mean=0.0):
    """Seeded random weights that keep activations O(1) (see the module doc)."""
    torch = _torch()
    nn = torch.nn
    torch.manual_seed(seed)
    bns = []
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear, nn.ConvTranspose2d)):
                # A transposed convolution's weight is [C_in, C_out, kH, kW]:
                # torch's "fan_out" is its C_in * kH * kW.
                mode = "fan_out" if isinstance(m, nn.ConvTranspose2d) else "fan_in"
                nn.init.kaiming_normal_(m.weight, mode=mode, nonlinearity="relu")
                if m.bias is not None:
                    m.bias.normal_(0.0, 0.1)
            elif isinstance(m, nn.BatchNorm2d):
                bns.append(m)
            elif isinstance(m, nn.LayerNorm):
                m.weight.uniform_(0.5, 1.5)
                m.bias.normal_(0.0, 0.2)
        # ConvNeXt's layer scale starts at 1e-6, which would hide every
        # block behind its shortcut.
        for name, p in model.named_parameters():
            if name.endswith("layer_scale"):
                p.uniform_(0.2, 0.6)
        if bns:
            # One eval-mode forward pass; a pre-hook sets each BN's statistics
            # from its actual input (computed by the already randomized layers
            # before it) just before it runs, then randomizes them.
            g = torch.Generator().manual_seed(seed + 7919)
            x = torch.randn(*calib_shape, generator=g)

            def calibrate(m, inputs):
                t = inputs[0]
                n = m.num_features
                mean = t.mean(dim=(0, 2, 3))
                var = t.var(dim=(0, 2, 3), unbiased=False).clamp_min(1e-4)
                m.running_mean.copy_(mean + torch.randn(n, generator=g) * 0.2 * var.sqrt())
                m.running_var.copy_(var * torch.empty(n).uniform_(0.5, 2.0, generator=g))
                m.weight.copy_(torch.empty(n).uniform_(0.5, 1.5, generator=g))
                m.bias.copy_(torch.randn(n, generator=g) * 0.2 + bn_bias_mean)

            hooks = [m.register_forward_pre_hook(calibrate) for m in bns]
            model.eval()
            model(x)
            for h in hooks:
                h.remove()
    return model


def vgg_feature_size(h, w):
    for _ in range(5):  # five MaxPool2d(2, 2), floor mode
        h, w = h // 2, w // 2
    return h, w


def adaptive_pool_matrix(n_in, n_out):
    """P (n_out x n_in) with adaptive_avg_pool1d(x) = P @ x (PyTorch's bins)."""
    p = np.zeros((n_out, n_in))
    for i in range(n_out):
        s = (i * n_in) // n_out
        e = -((-(i + 1) * n_in) // n_out)  # ceil
        p[i, s:e] = 1.0 / (e - s)
    return p


def export_module(model, arch, h, w):
    """The module that is exported: `model` itself, or for VGG at sizes where
    the 7x7 adaptive pool is not exportable an equivalent copy whose pool is
    folded into the first Linear. Returns (module, note)."""
    torch = _torch()
    nn = torch.nn
    if family(arch) != "vgg":
        return model, ""
    fh, fw = vgg_feature_size(h, w)
    if fh < 1 or fw < 1:
        raise ValueError("%s needs an input of at least 32x32 (got %dx%d)" % (arch, h, w))
    oh, ow = model.avgpool.output_size if isinstance(model.avgpool.output_size, tuple) \
        else (model.avgpool.output_size,) * 2
    if fh % oh == 0 and fw % ow == 0:
        return model, ""
    lin = model.classifier[0]
    c = lin.in_features // (oh * ow)
    ph = torch.from_numpy(adaptive_pool_matrix(fh, oh)).float()  # oh x fh
    pw = torch.from_numpy(adaptive_pool_matrix(fw, ow)).float()  # ow x fw
    with torch.no_grad():
        wt = lin.weight.detach().reshape(lin.out_features * c, oh * ow)
        # W'[o, c, i, j] = sum_{k,l} W[o, c, k, l] * ph[k, i] * pw[l, j]: one GEMM
        w2 = torch.matmul(wt, torch.kron(ph, pw))  # (o*c) x (fh*fw)
        new = nn.Linear(c * fh * fw, lin.out_features, device="meta")
        new.weight = nn.Parameter(w2.reshape(lin.out_features, c * fh * fw).contiguous())
        new.bias = nn.Parameter(lin.bias.detach().clone())
    # a shallow copy: shares the features and the other classifier layers
    m2 = copy.copy(model)
    m2._modules = collections.OrderedDict(model._modules)
    m2.avgpool = nn.Identity()
    m2.classifier = nn.Sequential(new, *list(model.classifier)[1:])
    return m2.eval(), ("VGG head: %dx%d features, AdaptiveAvgPool2d(7x7) folded into "
                       "Linear(%d, %d)" % (fh, fw, c * fh * fw, lin.out_features))


def make_input(shape, seed):
    rng = np.random.default_rng([seed, 1])
    return rng.standard_normal(shape).astype(np.float32)


def reference(model, x):
    """Eval-mode output of `model` on x (numpy), computed in float64 -> float32.
    Converts `model` to float64 in place."""
    torch = _torch()
    m64 = model.double().eval()  # in place: call this last
    with torch.no_grad():
        y = m64(torch.from_numpy(x.astype(np.float64)))
    return np.ascontiguousarray(y.numpy().astype(np.float32))


def export_onnx(module, shape, path, opset=13, keep_bn=False):
    torch = _torch()
    x = torch.zeros(*shape)
    kw = dict(opset_version=opset, input_names=["input"], output_names=["output"],
              export_params=True)
    if keep_bn:
        kw.update(training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False)
    else:
        kw.update(training=torch.onnx.TrainingMode.EVAL, do_constant_folding=True)
    module.eval()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with torch.no_grad():
            torch.onnx.export(module, x, path, **kw)


# Ops fold_constants() evaluates when all their inputs are constants. These are
# the ones torch.onnx emits to compute F.pad's `pads` (see fold_constants).
_FOLDABLE = {"Shape", "Gather", "ConstantOfShape", "Concat", "Reshape", "Slice", "Transpose",
             "Cast", "Unsqueeze", "Squeeze", "Add", "Sub", "Mul", "Div"}


def _onnx_slice(x, starts, ends, axes=None, steps=None):
    """ONNX Slice (opset >= 10) on a numpy array: clamping as in the spec."""
    axes = list(range(len(starts))) if axes is None else [int(a) for a in axes]
    steps = [1] * len(starts) if steps is None else [int(t) for t in steps]
    idx = [slice(None)] * x.ndim
    for s, e, a, t in zip(starts, ends, axes, steps):
        a = a + x.ndim if a < 0 else a
        d = x.shape[a]
        s, e = int(s), int(e)
        s = s + d if s < 0 else s
        e = e + d if e < 0 else e
        if t > 0:
            s, e = min(max(s, 0), d), min(max(e, 0), d)
        else:
            s, e = min(max(s, 0), d - 1), min(max(e, -1), d - 1)
        idx[a] = slice(s, e if e >= 0 else None, t)
    return x[tuple(idx)]


def _eval_const_node(node, ins, opset):
    """numpy value of one _FOLDABLE node from its constant inputs, or None."""
    import onnx
    from onnx import helper, numpy_helper
    a = {at.name: helper.get_attribute_value(at) for at in node.attribute}
    op = node.op_type
    if op == "Shape":
        return np.array(ins[0].shape, dtype=np.int64)
    if op == "Gather":
        return np.take(ins[0], ins[1], axis=a.get("axis", 0))
    if op == "ConstantOfShape":
        v = numpy_helper.to_array(a["value"]) if "value" in a else np.zeros(1, np.float32)
        return np.full([int(d) for d in ins[0]], v.reshape(-1)[0], dtype=v.dtype)
    if op == "Concat":
        return np.concatenate(ins, axis=a["axis"])
    if op == "Reshape":
        shape = [int(d) for d in ins[1]]
        if not a.get("allowzero", 0):
            shape = [ins[0].shape[i] if d == 0 else d for i, d in enumerate(shape)]
        return ins[0].reshape(shape)
    if op == "Slice":
        if opset < 10:
            return None  # attribute form
        return _onnx_slice(ins[0], *ins[1:])
    if op == "Transpose":
        return np.transpose(ins[0], a.get("perm"))
    if op == "Cast":
        return ins[0].astype(onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[a["to"]])
    if op in ("Unsqueeze", "Squeeze"):
        axes = a.get("axes") if opset < 13 else (ins[1] if len(ins) > 1 else None)
        if op == "Squeeze":
            return np.squeeze(ins[0], axis=None if axes is None else tuple(int(i) for i in axes))
        y = ins[0]
        r = y.ndim + len(axes)
        for ax in sorted(int(i) + r if i < 0 else int(i) for i in axes):
            y = np.expand_dims(y, ax)
        return y
    if op in ("Add", "Sub", "Mul", "Div"):
        if not all(v.dtype.kind in "iu" for v in ins):
            return None  # integer shape arithmetic only
        x, y = ins[0], ins[1]
        if op == "Div":  # integer Div truncates toward zero
            return (np.sign(x) * np.sign(y) * (np.abs(x) // np.abs(y))).astype(x.dtype)
        return {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply}[op](x, y).astype(x.dtype)
    return None


def fold_constants(path):
    """Folds the constant subgraphs of the ONNX file at `path` in place and
    returns the number of nodes removed.

    torch.onnx (1.13) exports F.pad(x, pad) as Pad(x, pads, value) with `pads`
    computed from the Python list by ConstantOfShape, Concat, Reshape, Slice
    (a flip), Transpose and Cast nodes (plus Shape, Gather, Mul and Sub when
    do_constant_folding=False), which its own constant folding leaves alone.
    Every node of an op in _FOLDABLE whose inputs are all constants
    (initializers or Constant nodes) is evaluated with numpy; a folded value
    that a remaining node uses becomes an initializer (named as the value), as
    torch's constant folding does. Constant nodes left without users are
    removed; the others (e.g. Slice's starts/ends/axes/steps) are kept.

    torch's shape inference cannot see through the unfolded pads, so it gives
    the graph output a symbolic batch dimension ("Gemmoutput_dim_0"). After
    folding, onnx.shape_inference restores the static output shape."""
    import onnx
    from onnx import helper, numpy_helper
    mp = onnx.load(path)
    g = mp.graph
    opset = next((o.version for o in mp.opset_import if o.domain in ("", "ai.onnx")), 13)
    const = {i.name: numpy_helper.to_array(i) for i in g.initializer}
    folded_nodes, folded = set(), set()
    for k, n in enumerate(g.node):
        if n.op_type == "Constant":
            a = {at.name: helper.get_attribute_value(at) for at in n.attribute}
            if "value" in a:
                const[n.output[0]] = numpy_helper.to_array(a["value"])
            continue
        if n.op_type not in _FOLDABLE or len(n.output) != 1:
            continue
        if not all(i == "" or i in const for i in n.input):
            continue
        y = _eval_const_node(n, [const[i] if i else None for i in n.input], opset)
        if y is None:
            continue
        const[n.output[0]] = np.asarray(y)
        folded_nodes.add(k)
        folded.add(n.output[0])
    if not folded_nodes:
        return 0
    keep = [n for k, n in enumerate(g.node) if k not in folded_nodes]
    # drop the Constant nodes that only fed folded nodes
    used = {i for n in keep for i in n.input} | {o.name for o in g.output}
    keep = [n for n in keep if n.op_type != "Constant" or n.output[0] in used]
    used = {i for n in keep for i in n.input} | {o.name for o in g.output}
    new_inits = [numpy_helper.from_array(const[v], v) for v in sorted(folded & used)]
    removed = len(g.node) - len(keep)
    del g.node[:]
    g.node.extend(keep)
    g.initializer.extend(new_inits)
    # shapes of the removed intermediate values
    live = {o for n in keep for o in n.output} | {i.name for i in g.initializer}
    vi = [v for v in g.value_info if v.name in live]
    del g.value_info[:]
    g.value_info.extend(vi)
    # static output shapes where inference now finds them
    inferred = {o.name: o for o in onnx.shape_inference.infer_shapes(mp).graph.output}
    for o in g.output:
        t = inferred[o.name].type
        if t.HasField("tensor_type") and t.tensor_type.HasField("shape") and all(
                d.HasField("dim_value") for d in t.tensor_type.shape.dim):
            o.type.CopyFrom(t)
    onnx.save(mp, path)
    return removed


def export(arch, path, batch=1, height=None, width=None, seed=0, weights=None,
           keep_bn=False, opset=13, reference_dir=None, check=True, log=None, fold=True):
    """Everything main() does; returns a dict of timings and notes. height and
    width default to default_size(arch) (224x224, 32x32 for the CIFAR nets).
    fold=False keeps torch.onnx's computation of the option-A Pad's pads
    (see fold_constants); it only matters for the CIFAR family."""
    dh, dw = default_size(arch) if arch in ARCHS else (224, 224)
    height = dh if height is None else height
    width = dw if width is None else width
    t0 = time.time()
    model = build(arch, seed=seed, weights=weights)
    t1 = time.time()
    shape = input_shape(arch, batch, height, width)
    module, note = export_module(model, arch, height, width)
    export_onnx(module, shape, path, opset=opset, keep_bn=keep_bn)
    folded = fold_constants(path) if fold and family(arch) == "cifar" else 0
    t2 = time.time()
    info = {"build_s": t1 - t0, "export_s": t2 - t1, "note": note, "shape": shape,
            "folded_nodes": folded}
    if check:
        import onnx
        # check_model on the path handles > 2 GB models as well
        onnx.checker.check_model(path)
    if reference_dir:
        os.makedirs(reference_dir, exist_ok=True)
        x = make_input(shape, seed)
        y = reference(model, x)
        np.save(os.path.join(reference_dir, "input.npy"), x)
        np.save(os.path.join(reference_dir, "expected.npy"), y)
        info["reference_s"] = time.time() - t2
    return info


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("arch", nargs="?", help="architecture name (see --list)")
    ap.add_argument("--list", action="store_true", help="print the architecture names")
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--height", type=int, default=None,
                    help="input height (default 224; 32 for the CIFAR nets)")
    ap.add_argument("--width", type=int, default=None,
                    help="input width (default 224; 32 for the CIFAR nets)")
    ap.add_argument("--seed", type=int, default=0, help="weight and input seed (default 0)")
    ap.add_argument("--weights", metavar="FILE.pth",
                    help="load this state_dict (strict) instead of random weights")
    ap.add_argument("--keep-bn", action="store_true",
                    help="keep BatchNormalization nodes (inference form) instead of folding them")
    ap.add_argument("--opset", type=int, default=13, help="ONNX opset (default 13; 11..17 work)")
    ap.add_argument("--out", "-o", metavar="model.onnx", help="output file (default ARCH.onnx)")
    ap.add_argument("--reference", metavar="DIR",
                    help="also write DIR/input.npy and DIR/expected.npy")
    ap.add_argument("--no-check", action="store_true", help="skip onnx.checker")
    ap.add_argument("--no-fold", action="store_true",
                    help="CIFAR nets: keep torch.onnx's own computation of the Pad's pads "
                         "(ConstantOfShape, Concat, Reshape, ...) instead of an initializer")
    ap.add_argument("--summary", action="store_true", help="print the node op types")
    ap.add_argument("--params", action="store_true",
                    help="print the PyTorch model's parameter count (sum of numel) and exit")
    args = ap.parse_args(argv)
    if args.list:
        print("\n".join(ARCHS))
        return 0
    if not args.arch:
        ap.error("an architecture is required (see --list)")
    if args.params:
        try:
            print(num_params(args.arch))
        except ValueError as ex:
            print("export.py: error: %s" % ex, file=sys.stderr)
            return 1
        return 0
    out = args.out or args.arch + ".onnx"
    try:
        info = export(args.arch, out, batch=args.batch, height=args.height, width=args.width,
                      seed=args.seed, weights=args.weights, keep_bn=args.keep_bn,
                      opset=args.opset, reference_dir=args.reference, check=not args.no_check,
                      fold=not args.no_fold)
    except (ValueError, RuntimeError, OSError) as ex:
        print("export.py: error: %s" % ex, file=sys.stderr)
        return 1
    msg = "%s: %s %s, BN %s, opset %d (%.1fs)" % (
        out, args.arch, "x".join(map(str, info["shape"])),
        "kept" if args.keep_bn else "folded", args.opset, info["build_s"] + info["export_s"])
    if info["note"]:
        msg += "; " + info["note"]
    if info["folded_nodes"]:
        msg += "; %d constant node(s) folded" % info["folded_nodes"]
    print(msg)
    if args.summary:
        import collections
        import onnx
        mp = onnx.load(out, load_external_data=False)
        print("  ops:", dict(collections.Counter(n.op_type for n in mp.graph.node)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
