"""Big-Little Net and ScaleNet as plain PyTorch modules, the peer our generated models are timed against.

Layer names, registration order and every width follow the published code, so the state dicts have the
same keys, in the same order, with the same shapes (checked by check.py against /work/shared/reference).
"""
import json
import math
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

STRUCTURES = Path(__file__).resolve().parents[2] / "structures"


def conv_bn(inplanes, planes):
    """The 1x1 projection (stride 1) + batch norm both families use on a shortcut and on the Little output."""
    return [nn.Conv2d(inplanes, planes, 1, bias=False), nn.BatchNorm2d(planes)]


# ---------------------------------------------------------------------------------------------------------------
# Big-Little Net (bLResNet, bLResNeXt, bLSEResNeXt)


class SEModule(nn.Module):
    """Squeeze-and-excitation with biased 1x1 convolutions, reduction 16."""

    def __init__(self, channels, reduction=16):
        super().__init__()
        self.fc1 = nn.Conv2d(channels, channels // reduction, 1, bias=True)
        self.fc2 = nn.Conv2d(channels // reduction, channels, 1, bias=True)

    def forward(self, x):
        s = F.adaptive_avg_pool2d(x, 1)
        s = torch.sigmoid(self.fc2(F.relu(self.fc1(s))))
        return x * s


class Bottleneck(nn.Module):
    """ResNet-v1 bottleneck whose `planes` is the OUTPUT width; the stride sits on the 3x3 convolution."""

    def __init__(self, inplanes, planes, shape, stride=1, downsample=None, last_relu=True):
        super().__init__()
        if shape.cardinality == 1:
            mid, groups = planes // 4, 1
        else:
            mid = (int(math.floor(planes * (shape.basewidth / 64.0))) // 4) * shape.cardinality
            groups = shape.cardinality
        self.conv1 = nn.Conv2d(inplanes, mid, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(mid)
        self.conv2 = nn.Conv2d(mid, mid, 3, stride=stride, padding=1, groups=groups, bias=False)
        self.bn2 = nn.BatchNorm2d(mid)
        self.conv3 = nn.Conv2d(mid, planes, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes)
        self.downsample = downsample
        self.se_layer = SEModule(planes) if shape.se else None
        self.last_relu = last_relu

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = F.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        if self.se_layer is not None:
            out = self.se_layer(out)
        out = out + (x if self.downsample is None else self.downsample(x))
        return F.relu(out) if self.last_relu else out


class BlockShape:
    """What varies between the three bL families: grouped width (ResNeXt) and the SE layer."""

    def __init__(self, basewidth=64, cardinality=1, se=False):
        self.basewidth, self.cardinality, self.se = basewidth, cardinality, se

    def little(self, alpha):
        """The Little branch's grouped width is 1/alpha of the Big one: basewidth * alpha, cardinality / alpha."""
        if self.cardinality == 1:
            return self
        return BlockShape(self.basewidth * alpha, self.cardinality // alpha, self.se)


def make_layer(inplanes, planes, blocks, shape, stride=1, last_relu=True):
    """A run of bottlenecks; the shortcut pools 3x3/s2/p1 (padding counted) when strided, projects when widths differ."""
    shortcut = []
    if stride != 1:
        shortcut.append(nn.AvgPool2d(3, stride=2, padding=1))
    if inplanes != planes:
        shortcut += conv_bn(inplanes, planes)
    downsample = nn.Sequential(*shortcut) if shortcut else None
    if blocks == 1:
        # The original builds a lone block without passing last_relu, so it keeps its ReLU.
        return nn.Sequential(Bottleneck(inplanes, planes, shape, stride, downsample))
    layers = [Bottleneck(inplanes, planes, shape, stride, downsample)]
    layers += [Bottleneck(planes, planes, shape) for _ in range(1, blocks - 1)]
    layers.append(Bottleneck(planes, planes, shape, last_relu=last_relu))
    return nn.Sequential(*layers)


class BLModule(nn.Module):
    """Big branch at half resolution, shallow Little branch at 1/alpha width, merged by add + ReLU, then fusion."""

    def __init__(self, inplanes, planes, blocks, shape, alpha, beta, stride):
        super().__init__()
        self.big = make_layer(inplanes, planes, blocks - 1, shape, stride=2, last_relu=False)
        self.little = make_layer(inplanes, planes // alpha, max(1, blocks // beta - 1), shape.little(alpha))
        self.little_e = nn.Sequential(*conv_bn(planes // alpha, planes))
        self.fusion = make_layer(planes, planes, 1, shape, stride=stride)

    def forward(self, x):
        big = self.big(x)
        little = self.little_e(self.little(x))
        big = F.interpolate(big, size=little.shape[2:], mode="nearest")
        return self.fusion(F.relu(big + little))


class BLNet(nn.Module):
    """bL stem (no max-pool), three bL-modules with strides 2, 2, 1, a plain last stage, average pool, linear."""

    def __init__(self, layers, shape, alpha=2, beta=4, num_classes=1000):
        super().__init__()
        little = 64 // alpha
        self.conv1 = nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.b_conv0 = nn.Conv2d(64, 64, 3, stride=2, padding=1, bias=False)
        self.bn_b0 = nn.BatchNorm2d(64)
        self.l_conv0 = nn.Conv2d(64, little, 3, stride=1, padding=1, bias=False)
        self.bn_l0 = nn.BatchNorm2d(little)
        self.l_conv1 = nn.Conv2d(little, little, 3, stride=2, padding=1, bias=False)
        self.bn_l1 = nn.BatchNorm2d(little)
        self.l_conv2 = nn.Conv2d(little, 64, 1, bias=False)
        self.bn_l2 = nn.BatchNorm2d(64)
        self.bl_init = nn.Conv2d(64, 64, 1, bias=False)
        self.bn_bl_init = nn.BatchNorm2d(64)
        self.layer1 = BLModule(64, 256, layers[0], shape, alpha, beta, stride=2)
        self.layer2 = BLModule(256, 512, layers[1], shape, alpha, beta, stride=2)
        self.layer3 = BLModule(512, 1024, layers[2], shape, alpha, beta, stride=1)
        self.layer4 = make_layer(1024, 2048, layers[3], shape, stride=2)
        self.fc = nn.Linear(2048, num_classes)
        init_convolutions_and_norms(self)
        for module in self.modules():
            if isinstance(module, Bottleneck):
                nn.init.zeros_(module.bn3.weight)  # zero gamma on each residual branch's last norm
            elif isinstance(module, SEModule):
                nn.init.zeros_(module.fc1.bias)
                nn.init.zeros_(module.fc2.bias)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        bx = self.bn_b0(self.b_conv0(x))
        lx = F.relu(self.bn_l0(self.l_conv0(x)))
        lx = F.relu(self.bn_l1(self.l_conv1(lx)))
        lx = self.bn_l2(self.l_conv2(lx))
        x = F.relu(bx + lx)
        x = F.relu(self.bn_bl_init(self.bl_init(x)))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


# ---------------------------------------------------------------------------------------------------------------
# ScaleNet

SCALES = (None, 2, 4, 7)


class SABlock(nn.Module):
    """Scale aggregation: 1x1, then 3x3 (or 1x1) branches on max-pooled copies, upsampled back, concatenated, 1x1.

    A branch with zero channels is absent: no convolution, no norm, nothing concatenated. The original still
    pools and upsamples it, with no effect on the output, so it is not computed here.
    """

    def __init__(self, inplanes, planes, row, stride=1):
        super().__init__()
        *channels, side = row
        if stride != 1 or inplanes != planes * 4:
            self.downsample = nn.Sequential(*conv_bn(inplanes, planes * 4))
        else:
            self.downsample = None
        self.conv1 = nn.Conv2d(inplanes, planes, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        # The kernel rule divides by 2**i (1, 2, 4, 8), not by the branch's scale.
        kernels = [3 if side / 2 ** i > 1 else 1 for i in range(len(SCALES))]
        self.conv2 = nn.ModuleList(
            nn.Conv2d(planes, c, k, padding=1 if k == 3 else 0, bias=False) if c > 0 else None
            for c, k in zip(channels, kernels))
        self.bn2 = nn.ModuleList(nn.BatchNorm2d(c) if c > 0 else None for c in channels)
        self.conv3 = nn.Conv2d(sum(channels), planes * 4, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * 4)
        self.stride = stride

    def forward(self, x):
        if self.stride > 1:
            x = F.max_pool2d(x, self.stride, self.stride)
        residual = x if self.downsample is None else self.downsample(x)
        out = F.relu(self.bn1(self.conv1(x)))
        height, width = out.shape[2:]
        branches = []
        for scale, conv, norm in zip(SCALES, self.conv2, self.bn2):
            if conv is None:
                continue
            t = out if scale is None else F.max_pool2d(out, scale, scale)
            t = conv(t)
            if scale is not None:
                exact = height % t.shape[2] == 0 and width % t.shape[3] == 0
                if exact:
                    t = F.interpolate(t, size=(height, width), mode="nearest")
                else:
                    t = F.interpolate(t, size=(height, width), mode="bilinear", align_corners=False)
            branches.append(norm(t))
        out = F.relu(torch.cat(branches, 1))
        return F.relu(self.bn3(self.conv3(out)) + residual)


class ScaleNet(nn.Module):
    """ResNet-50 layout (stem max-pool) with SA blocks; one allocation row per block, in construction order."""

    def __init__(self, layers, structure, num_classes=1000):
        super().__init__()
        if len(structure) != sum(layers):
            raise ValueError(f"the channel allocation has {len(structure)} rows, the network {sum(layers)} blocks")
        rows = iter(structure)
        self.conv1 = nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        inplanes = 64
        for index, (planes, blocks, stride) in enumerate(zip((64, 128, 256, 512), layers, (1, 2, 2, 2))):
            stage = [SABlock(inplanes, planes, next(rows), stride)]
            stage += [SABlock(planes * 4, planes, next(rows)) for _ in range(1, blocks)]
            setattr(self, f"layer{index + 1}", nn.Sequential(*stage))
            inplanes = planes * 4
        self.fc = nn.Linear(2048, num_classes)
        init_convolutions_and_norms(self)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 3, 2, 1)
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def init_convolutions_and_norms(model):
    """Both originals: convolutions kaiming-normal with fan-out, norms gamma 1 beta 0, linear left at its default."""
    for module in model.modules():
        if isinstance(module, nn.Conv2d):
            nn.init.kaiming_normal_(module.weight, mode="fan_out", nonlinearity="relu")
        elif isinstance(module, nn.BatchNorm2d):
            nn.init.ones_(module.weight)
            nn.init.zeros_(module.bias)


def load_structure(name):
    path = STRUCTURES / name
    try:
        rows = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise ValueError(f"{path}: cannot read the ScaleNet channel allocation: {error}") from error
    if not all(isinstance(r, list) and len(r) == 5 and all(isinstance(v, int) and v >= 0 for v in r) for r in rows):
        raise ValueError(f"{path}: each row must be [c_s1, c_s2, c_s4, c_s7, side] of non-negative integers")
    return rows


RESNET50 = (3, 4, 6, 3)

MODELS = {
    "bLResNet-50": lambda: BLNet(RESNET50, BlockShape()),
    "bLResNeXt-50-32x4d": lambda: BLNet(RESNET50, BlockShape(basewidth=4, cardinality=32)),
    "bLSEResNeXt-50-32x4d": lambda: BLNet(RESNET50, BlockShape(basewidth=4, cardinality=32, se=True)),
    "ScaleNet-50": lambda: ScaleNet(RESNET50, load_structure("scalenet50.json")),
}


def create(name):
    """A freshly initialized model by its catalog name (case-insensitive, as `dsl` looks names up)."""
    for known, factory in MODELS.items():
        if known.lower() == name.lower():
            return factory()
    raise KeyError(f"unknown model '{name}'; known: {', '.join(MODELS)}")
