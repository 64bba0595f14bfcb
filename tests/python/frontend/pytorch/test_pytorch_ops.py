# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Per-operator tests of relay.frontend.from_pytorch: each traced function's
Relay import, run by the debug executor, matches torch's own output."""
from typing import List

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import tvm
from tvm import relay

def evaluate(mod, params):
    """The module's function, compiled by relay.build at opt_level 3 (the graph executor)."""
    with tvm.transform.PassContext(opt_level=3):
        return relay.create_executor("graph", mod=mod, params=params, target="llvm").evaluate()



def verify(fn, *inputs, rtol=1e-5, atol=1e-5, script=False):
    """Trace fn (a function or module) on inputs, import it, run it, compare every output with torch."""
    if isinstance(fn, torch.nn.Module):
        fn = fn.eval()
    with torch.no_grad():
        expected = fn(*inputs)
        module = torch.jit.script(fn) if script else torch.jit.trace(fn, inputs)
    infos = [("input%d" % i, (list(x.shape), str(x.dtype).replace("torch.", ""))) for i, x in enumerate(inputs)]
    mod, params = relay.frontend.from_pytorch(module, infos)
    for i, var in enumerate(mod["main"].params[: len(inputs)]):
        assert var.name_hint == "input%d" % i
    run = evaluate(mod, params)
    result = run(*[x.numpy() for x in inputs])
    expected = [expected] if isinstance(expected, torch.Tensor) else list(expected)
    result = [result] if not isinstance(result, (list, tuple)) else list(result)
    assert len(result) == len(expected)
    for got, want in zip(result, expected):
        got = got.numpy()
        want = want.numpy()
        assert got.shape == want.shape, (got.shape, want.shape)
        assert got.dtype == want.dtype, (got.dtype, want.dtype)
        np.testing.assert_allclose(got, want, rtol=rtol, atol=atol)
    return mod, params


torch.manual_seed(0)
X = torch.randn(2, 3, 8, 8)
V = torch.randn(2, 5, 6)

UNARY = {
    "relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh, "exp": torch.exp, "abs": torch.abs,
    "neg": torch.neg, "floor": torch.floor, "ceil": torch.ceil, "round": torch.round, "sin": torch.sin,
    "cos": torch.cos, "erf": torch.erf, "sign": torch.sign, "trunc": torch.trunc, "square": torch.square,
    "log_abs": lambda x: torch.log(x.abs() + 1), "sqrt_abs": lambda x: torch.sqrt(x.abs()),
    "rsqrt": lambda x: torch.rsqrt(x.abs() + 0.5), "log1p": lambda x: torch.log1p(x.abs()),
    "reciprocal": lambda x: torch.reciprocal(x + 10), "gelu": F.gelu,
    "gelu_tanh": lambda x: F.gelu(x, approximate="tanh"), "silu": F.silu, "mish": F.mish,
    "hardswish": F.hardswish, "hardsigmoid": F.hardsigmoid, "hardtanh": lambda x: F.hardtanh(x, -0.5, 0.5),
    "relu6": F.relu6, "leaky_relu": lambda x: F.leaky_relu(x, 0.2), "elu": F.elu, "selu": F.selu,
    "celu": lambda x: F.celu(x, 0.7), "softplus": lambda x: F.softplus(x, 2.0, 1.0),
    "threshold": lambda x: F.threshold(x, 0.1, -1.0), "clamp": lambda x: x.clamp(-0.3, 0.4),
    "clamp_min": lambda x: x.clamp(min=0.1), "clamp_max": lambda x: torch.clamp_max(x, 0.2),
    "relu_": lambda x: x.clone().relu_(), "expm1": torch.expm1, "logical_not": lambda x: torch.logical_not(x > 0),
    "isnan": lambda x: torch.isnan(x), "atan": torch.atan, "log_sigmoid": F.logsigmoid, "softsign": F.softsign,
    "tanhshrink": F.tanhshrink, "hardshrink": lambda x: F.hardshrink(x, 0.3), "softshrink": F.softshrink,
    "glu": lambda x: F.glu(x, -1), "logit": lambda x: torch.logit(torch.sigmoid(x), 1e-3), "frac": torch.frac,
    "exp2": torch.exp2, "empty_like": lambda x: torch.empty_like(x).zero_() + x,
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary(name):
    verify(UNARY[name], X)


BINARY = {
    "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b, "div": lambda a, b: a / b,
    "add_alpha": lambda a, b: torch.add(a, b, alpha=2), "sub_alpha": lambda a, b: torch.sub(a, b, alpha=0.5),
    "rsub": lambda a, b: 1 - a, "pow": lambda a, b: torch.pow(a.abs() + 1, b),
    "pow_scalar": lambda a, b: a ** 2, "maximum": torch.maximum, "minimum": torch.minimum, "max": torch.max,
    "eq": lambda a, b: a == b, "ne": lambda a, b: a != b, "lt": lambda a, b: a < b, "ge": lambda a, b: a >= b,
    "gt_scalar": lambda a, b: a > 0.5, "where": lambda a, b: torch.where(a > b, a, b),
    "masked_fill": lambda a, b: a.masked_fill(b > 0, -1e9), "floor_divide": lambda a, b: torch.floor_divide(a, b),
    "div_floor": lambda a, b: torch.div(a, b, rounding_mode="floor"),
    "div_trunc": lambda a, b: torch.div(a, b, rounding_mode="trunc"), "remainder": torch.remainder,
    "and": lambda a, b: (a > 0) & (b > 0), "or": lambda a, b: (a > 0) | (b > 0),
    "broadcast": lambda a, b: a + b[:, :1], "scalar_tensor": lambda a, b: a * torch.tensor(3.0),
    "lerp": lambda a, b: torch.lerp(a, b, 0.3), "addcmul": lambda a, b: torch.addcmul(a, a, b, value=0.5),
    "atan2": torch.atan2, "cosine_similarity": lambda a, b: F.cosine_similarity(a, b, dim=-1),
    "pairwise_distance": lambda a, b: F.pairwise_distance(a[0], b[0]), "mse_loss": F.mse_loss,
    "l1_loss": lambda a, b: F.l1_loss(a, b, reduction="sum"), "smooth_none": lambda a, b: F.mse_loss(a, b, reduction="none"),
    "bce": lambda a, b: F.binary_cross_entropy(torch.sigmoid(a), torch.sigmoid(b)),
    "bce_logits": lambda a, b: F.binary_cross_entropy_with_logits(a, torch.sigmoid(b), pos_weight=torch.ones(6) * 2),
    "outer": lambda a, b: torch.outer(a[0, 0], b[0, 1]),
}


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary(name):
    verify(BINARY[name], V, torch.randn(2, 5, 6))


def test_integer_promotion():
    ints = torch.arange(12).reshape(3, 4)
    verify(lambda a, f: a * 0.5 + f, ints, torch.randn(3, 4))
    verify(lambda a: a / 2, ints)
    verify(lambda a: (a + 1) // 3, ints)
    verify(lambda a, b: a.float() * b, ints, torch.randn(3, 4))
    verify(lambda a: a.sum(), ints.to(torch.int32))


REDUCE = {
    "sum": lambda x: x.sum(), "sum_dim": lambda x: x.sum(1), "sum_keep": lambda x: x.sum((1, 2), keepdim=True),
    "mean": lambda x: x.mean(-1), "mean_all": lambda x: x.mean(), "prod": lambda x: x.prod(1),
    "max_dim": lambda x: x.max(1), "min_dim": lambda x: x.min(2, keepdim=True), "amax": lambda x: x.amax((0, 2)),
    "max_all": lambda x: x.max(), "argmax": lambda x: x.argmax(1), "argmin": lambda x: x.argmin(),
    "var": lambda x: x.var(1), "var_biased": lambda x: x.var(1, unbiased=False), "std": lambda x: x.std(),
    "std_keep": lambda x: x.std(-1, keepdim=True), "var_mean": lambda x: torch.var_mean(x, 1),
    "norm": lambda x: x.norm(dim=1), "norm_p1": lambda x: torch.norm(x, p=1, dim=-1),
    "linalg_norm": lambda x: torch.linalg.vector_norm(x, 3, dim=2), "logsumexp": lambda x: x.logsumexp(1),
    "cumsum": lambda x: x.cumsum(1), "all": lambda x: (x > -5).all(), "any": lambda x: (x > 1).any(1),
    "softmax": lambda x: F.softmax(x, -1), "log_softmax": lambda x: F.log_softmax(x, 1),
    "topk": lambda x: torch.topk(x, 3, dim=-1), "sort": lambda x: torch.sort(x, 1, descending=True),
    "argsort": lambda x: torch.argsort(x, -1),
}


@pytest.mark.parametrize("name", sorted(REDUCE))
def test_reduce(name):
    verify(REDUCE[name], V)


SHAPE = {
    "view": lambda x: x.view(2, -1), "reshape": lambda x: x.reshape(-1, 6), "flatten": lambda x: x.flatten(1),
    "flatten_mid": lambda x: torch.flatten(x, 0, 1), "unflatten": lambda x: x.unflatten(2, (2, 3)),
    "permute": lambda x: x.permute(2, 0, 1), "transpose": lambda x: x.transpose(1, 2),
    "t": lambda x: x[0].t(), "unsqueeze": lambda x: x.unsqueeze(-1), "squeeze": lambda x: x[:, :1].squeeze(1),
    "squeeze_all": lambda x: x[:1, :1].squeeze(), "expand": lambda x: x[:, :1].expand(-1, 4, -1),
    "expand_new": lambda x: x[0].expand(3, 5, 6), "expand_as": lambda x: x[:, :1].expand_as(x),
    "repeat": lambda x: x.repeat(1, 2, 1), "repeat_more": lambda x: x.repeat(2, 1, 1, 1),
    "repeat_interleave": lambda x: x.repeat_interleave(2, dim=1), "cat": lambda x: torch.cat([x, x * 2], 1),
    "stack": lambda x: torch.stack([x, x + 1], -1), "split": lambda x: torch.split(x, 2, dim=1),
    "split_sizes": lambda x: torch.split(x, [1, 4], dim=1), "chunk": lambda x: x.chunk(4, dim=-1),
    "chunk_uneven": lambda x: x.chunk(3, dim=1), "unbind": lambda x: x.unbind(1),
    "tensor_split": lambda x: torch.tensor_split(x, 3, dim=2), "select": lambda x: x[:, 2],
    "select_neg": lambda x: x[-1], "slice": lambda x: x[:, 1:4], "slice_step": lambda x: x[:, ::2, 1:-1],
    "slice_neg": lambda x: x[..., -3:], "narrow": lambda x: x.narrow(2, 1, 3), "index_none": lambda x: x[:, None],
    "index_tensor": lambda x: x[:, torch.tensor([0, 2, -1])],
    "index_two": lambda x: x[torch.tensor([0, 1]), torch.tensor([3, 4])],
    "index_mid": lambda x: x[:, torch.tensor([[0, 1], [2, 3]]), torch.tensor([1, 0])],
    "index_mask_const": lambda x: x[:, torch.tensor([True, False, True, False, True])],
    "index_select": lambda x: x.index_select(1, torch.tensor([4, 0])),
    "gather": lambda x: torch.gather(x, 2, torch.tensor([[[0, 5]] * 5] * 2)),
    "flip": lambda x: x.flip(0, 2), "roll": lambda x: x.roll(2, 1), "roll_flat": lambda x: x.roll(3),
    "tril": lambda x: x.tril(), "triu": lambda x: x.triu(1), "contiguous": lambda x: x.transpose(0, 1).contiguous(),
    "type_as": lambda x: x.long().type_as(x), "to_int": lambda x: (x * 10).to(torch.int32),
    "to_dtype_float64": lambda x: x.double(), "zeros_like": lambda x: torch.zeros_like(x) + x,
    "ones_like": lambda x: torch.ones_like(x, dtype=torch.int64), "full_like": lambda x: torch.full_like(x, 7.0),
    "new_zeros": lambda x: x.new_zeros((2, 3)), "new_ones": lambda x: x + x.new_ones(6),
    "size_arith": lambda x: x.view(x.size(0) * x.size(1), x.shape[-1] // 2, 2),
    "arange_from_size": lambda x: x + torch.arange(x.size(-1)), "numel": lambda x: x / x.numel(),
    "ones_from_size": lambda x: x * torch.ones(x.shape[1:]), "masked_fill_": lambda x: x.clone().masked_fill_(x > 0, 0),
    "constant_pad": lambda x: F.pad(x, (1, 2, 0, 1), value=0.5), "pad_negative": lambda x: F.pad(x, (-1, 1)),
    "reflect_pad": lambda x: F.pad(x, (2, 1), mode="reflect"), "replicate_pad": lambda x: F.pad(x, (1, 2), mode="replicate"),
    "copy_": lambda x: torch.zeros(2, 5, 6).copy_(x), "embedding_like": lambda x: F.embedding(torch.tensor([[1, 0]]), x[0]),
    "one_hot": lambda x: F.one_hot(torch.tensor([0, 3, 1]), 5) + x.size(0),
    "einsum": lambda x: torch.einsum("bij,bkj->bik", x, x),
    "scatter": lambda x: torch.zeros(2, 5, 6).scatter(2, torch.tensor([[[1, 0, 5]] * 5] * 2), x),
    "scatter_value": lambda x: x.scatter(1, torch.tensor([[[1, 0, 3]], [[4, 2, 2]]]), 7.0),
    "scatter_add": lambda x: x.scatter_add(1, torch.tensor([[[1, 0, 3]], [[4, 4, 4]]]), x[:, :1, :3] * 10),
    "index_put_mask": lambda x: x.masked_fill(x > 0, 2.0).index_put_((x < -0.5,), torch.tensor(-7.0)),
    "index_put_rows": lambda x: x.index_put((torch.tensor([1, 0]), torch.tensor([-1, 2])), torch.ones(6)),
    "index_put_accumulate": lambda x: x.index_put((torch.tensor([1, 1]),), x[0] * 0 + 1, accumulate=True),
    "setitem_mask": lambda x: setitem_mask(x), "meshgrid": lambda x: torch.meshgrid(x[0, :, 0], x[0, 0, :3], indexing="ij"),
    "meshgrid_xy": lambda x: torch.meshgrid(x[0, :, 0], x[0, 0, :3], indexing="xy"),
    "mv": lambda x: torch.mv(x[0], x[1, 0]),
    "take": lambda x: torch.take(x, torch.tensor([[0, 59], [7, -3]])),
    "tensor_of_scalars": lambda x: x * torch.tensor([x.size(0), x.size(2)]).sum(),
    "iand": lambda x: _iand(x),
}


def _iand(x):
    m = x > 0
    m &= x < 0.5
    return m


def setitem_mask(x):
    y = x.clone()
    y[y > 0.5] = 0.5
    return y



@pytest.mark.parametrize("name", sorted(SHAPE))
def test_shape(name):
    verify(SHAPE[name], V)


NN = {
    "conv2d": (torch.nn.Conv2d(3, 4, 3, padding=1), X),
    "conv2d_stride_dilation": (torch.nn.Conv2d(3, 6, 3, stride=2, dilation=2, groups=3, bias=False), X),
    "conv2d_same": (torch.nn.Conv2d(3, 4, 4, padding="same"), X),
    "conv1d": (torch.nn.Conv1d(5, 4, 3, stride=2, padding=1), V),
    "conv_transpose2d": (torch.nn.ConvTranspose2d(3, 4, 3, stride=2, padding=1, output_padding=1), X),
    "conv_transpose2d_groups": (torch.nn.ConvTranspose2d(3, 6, 2, stride=2, groups=3), X),
    "conv_transpose1d": (torch.nn.ConvTranspose1d(5, 2, 3, stride=2), V),
    "conv3d": (torch.nn.Conv3d(3, 2, 3, padding=1), X.unsqueeze(2).repeat(1, 1, 3, 1, 1)),
    "batch_norm": (torch.nn.BatchNorm2d(3), X), "batch_norm1d": (torch.nn.BatchNorm1d(5), V),
    "instance_norm": (torch.nn.InstanceNorm2d(3, affine=True), X),
    "group_norm": (torch.nn.GroupNorm(1, 3), X), "layer_norm": (torch.nn.LayerNorm(6), V),
    "layer_norm_2d": (torch.nn.LayerNorm([5, 6]), V),
    "linear": (torch.nn.Linear(6, 4), V), "linear_nobias": (torch.nn.Linear(6, 3, bias=False), V[0, 0]),
    "max_pool2d": (torch.nn.MaxPool2d(3, 2, padding=1), X), "max_pool2d_ceil": (torch.nn.MaxPool2d(3, 2, ceil_mode=True), X),
    "max_pool1d": (torch.nn.MaxPool1d(2), V), "avg_pool2d": (torch.nn.AvgPool2d(3, 2, padding=1), X),
    "avg_pool2d_exclude": (torch.nn.AvgPool2d(3, 2, padding=1, count_include_pad=False), X),
    "avg_pool2d_divisor": (torch.nn.AvgPool2d(2, divisor_override=3), X),
    "avg_pool1d": (torch.nn.AvgPool1d(3, 1), V),
    "adaptive_avg_pool2d": (torch.nn.AdaptiveAvgPool2d((3, 5)), X),
    "adaptive_avg_pool2d_none": (torch.nn.AdaptiveAvgPool2d((None, 2)), X),
    "adaptive_max_pool2d": (torch.nn.AdaptiveMaxPool2d(3), X), "adaptive_avg_pool1d": (torch.nn.AdaptiveAvgPool1d(4), V),
    "upsample_nearest": (torch.nn.Upsample(scale_factor=2, mode="nearest"), X),
    "upsample_nearest_size": (torch.nn.Upsample(size=(5, 11), mode="nearest"), X),
    "upsample_bilinear": (torch.nn.Upsample(scale_factor=2, mode="bilinear"), X),
    "upsample_bilinear_ac": (torch.nn.Upsample(size=(5, 13), mode="bilinear", align_corners=True), X),
    "upsample_bicubic": (torch.nn.Upsample(scale_factor=2, mode="bicubic"), X),
    "pixel_shuffle": (torch.nn.PixelShuffle(2), torch.randn(1, 8, 3, 4)),
    "pixel_unshuffle": (torch.nn.PixelUnshuffle(2), X), "channel_shuffle": (torch.nn.ChannelShuffle(3), torch.randn(1, 6, 2, 2)),
    "prelu": (torch.nn.PReLU(3), X), "prelu_single": (torch.nn.PReLU(), X), "dropout": (torch.nn.Dropout(0.3), X),
    "weight_norm": (torch.nn.utils.weight_norm(torch.nn.Linear(6, 4)), V),
    "softmax2d": (torch.nn.Softmax2d(), X), "flatten_module": (torch.nn.Flatten(), X),
    "embedding": (torch.nn.Embedding(10, 4), torch.tensor([[1, 2, 9], [0, 0, 3]])),
    "mha": (torch.nn.MultiheadAttention(6, 2, batch_first=True), V, V, V),
    "mha_seq_first_kdim": (torch.nn.MultiheadAttention(6, 3, kdim=4, vdim=5), V, torch.randn(3, 5, 4), torch.randn(3, 5, 5)),
}


@pytest.mark.parametrize("name", sorted(NN))
def test_nn(name):
    module, *inputs = NN[name]
    torch.manual_seed(1)
    for p in module.parameters():
        p.data = torch.randn_like(p) * 0.5
    for b in module.buffers():
        if b.dtype.is_floating_point:
            b.data = torch.rand_like(b) + 0.5
    verify(module, *inputs, rtol=1e-4, atol=1e-5)


def test_matmul_shapes():
    for a, b in [((4,), (4,)), ((3, 4), (4,)), ((4,), (4, 5)), ((3, 4), (4, 5)), ((2, 3, 4), (4, 5)),
                 ((2, 3, 4), (2, 4, 5)), ((2, 1, 3, 4), (5, 4, 2)), ((4,), (2, 4, 3))]:
        verify(torch.matmul, torch.randn(*a), torch.randn(*b), rtol=1e-5, atol=1e-5)
    verify(torch.bmm, torch.randn(2, 3, 4), torch.randn(2, 4, 5))
    verify(lambda x, a, b: torch.addmm(x, a, b, beta=0.5, alpha=2.0), torch.randn(5), torch.randn(3, 4),
           torch.randn(4, 5))
    verify(lambda x, a, b: torch.baddbmm(x, a, b), torch.randn(2, 3, 5), torch.randn(2, 3, 4), torch.randn(2, 4, 5))


def test_attention_written_out():
    def attention(q, k, v, mask):
        scores = q @ k.transpose(-2, -1) / (q.size(-1) ** 0.5)
        scores = scores.masked_fill(mask == 0, float("-inf"))
        return torch.softmax(scores, dim=-1) @ v

    q, k, v = torch.randn(2, 4, 7, 8), torch.randn(2, 4, 7, 8), torch.randn(2, 4, 7, 8)
    verify(attention, q, k, v, torch.tril(torch.ones(7, 7)))


def test_scripted_module_with_static_control_flow():
    class Block(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = torch.nn.Linear(4, 4)
            self.scale: float = 2.0

        def forward(self, x):
            if self.training:
                x = x * 0
            for _ in range(3):
                x = torch.relu(self.fc(x)) + x
            return x * self.scale

    verify(Block(), torch.randn(2, 4), script=True)


def test_int64_input_and_embedding_ops():
    emb = torch.nn.Embedding(20, 8).requires_grad_(False)
    verify(lambda ids: emb(ids).sum(1) * (ids > 3).float().unsqueeze(-1).sum(1), torch.tensor([[1, 5, 19], [4, 4, 0]]))


def test_classification_losses():
    logits, target = torch.randn(4, 5), torch.tensor([1, 0, 4, 2])
    verify(lambda x, t: F.cross_entropy(x, t), logits, target)
    verify(lambda x, t: F.nll_loss(F.log_softmax(x, 1), t, weight=torch.arange(1.0, 6.0), reduction="sum"),
           logits, target)
    verify(lambda x, t: F.nll_loss(x, t, ignore_index=0, reduction="none"), logits, target)


def test_max_pool_indices_are_refused_clearly():
    traced = torch.jit.trace(torch.nn.MaxPool2d(2, return_indices=True), X)
    with pytest.raises(tvm.error.OpNotImplemented, match="indices output of max pooling"):
        relay.frontend.from_pytorch(traced, [("x", list(X.shape))])
    # Only the values used: fine.
    verify(lambda x: F.max_pool2d(x, 2, return_indices=True)[0], X)


def test_traced_input_dtype_is_used_when_input_infos_gives_only_a_shape():
    traced = torch.jit.trace(lambda ids: F.one_hot(ids, 5) << 1, torch.tensor([1, 4]))
    mod, _ = relay.frontend.from_pytorch(traced, [("ids", [2])])
    assert mod["main"].params[0].type_annotation.dtype == "int64"
    out = evaluate(mod, {})(np.array([1, 4], "int64"))
    np.testing.assert_array_equal(out.numpy(), (F.one_hot(torch.tensor([1, 4]), 5) << 1).numpy())


def test_scripted_list_concatenation_in_a_loop():
    class Stack(torch.nn.Module):
        def forward(self, x):
            parts: List[torch.Tensor] = []
            for i in range(x.size(0)):
                parts += [x[i] * i]
            return torch.stack(parts, 0)

    verify(Stack(), torch.randn(3, 4), script=True)


def test_cross_entropy_with_probabilities_and_instance_norm_with_running_stats():
    verify(lambda x, t: F.cross_entropy(x, t.softmax(1)), torch.randn(4, 5), torch.randn(4, 5))
    norm = torch.nn.InstanceNorm2d(3, track_running_stats=True)
    norm.running_mean.uniform_(-1, 1)
    norm.running_var.uniform_(0.5, 2)
    verify(norm, X)


def test_matmul_uses_dense_or_batch_matmul():
    ops = lambda mod: mod.astext()
    mod, _ = verify(torch.matmul, torch.randn(4), torch.randn(4))
    assert "nn.dense" in ops(mod)
    mod, _ = verify(torch.matmul, torch.randn(10, 3, 4), torch.randn(4, 5))
    assert "nn.batch_matmul" in ops(mod)


def test_integer_clamp_and_tensor_split_by_tensor():
    data = torch.randint(0, 256, (4, 5), dtype=torch.uint8)
    verify(lambda x: torch.clamp_max(x, 125), data)
    verify(lambda x: torch.clamp(x, min=3), data)
    verify(lambda x: torch.tensor_split(x, torch.tensor(3), dim=1), V)
    verify(lambda x: torch.tensor_split(x, torch.tensor([1, 4]), dim=1), V)


def test_torchvision_roi_align():
    import torchvision  # pylint: disable=import-outside-toplevel

    torch.manual_seed(0)
    features = torch.rand(1, 4, 20, 20)
    corners = torch.rand(6, 2) * 10
    boxes = torch.cat([torch.zeros(6, 1), corners, corners + 2 + torch.rand(6, 2) * 8], dim=1)
    verify(lambda x, b: torchvision.ops.roi_align(x, b, 3, 0.5, -1), features, boxes, rtol=1e-4, atol=1e-5)
    verify(lambda x, b: torchvision.ops.roi_align(x, b, (2, 3), 1.0, 2), features, boxes, rtol=1e-4, atol=1e-5)
    verify(lambda x, b: torchvision.ops.roi_align(x, b, 2, 1.0, 2, aligned=True), features, boxes, rtol=1e-4,
           atol=1e-5)


def test_deform_conv2d():
    torchvision = pytest.importorskip("torchvision")
    gen = torch.Generator().manual_seed(3)
    x = torch.rand(2, 4, 10, 10, generator=gen)
    offset = torch.rand(2, 2 * 2 * 9, 8, 8, generator=gen) * 2 - 1  # two offset groups, 3x3 kernel
    weight = torch.rand(6, 4, 3, 3, generator=gen)
    verify(lambda a, o, w: torchvision.ops.deform_conv2d(a, o, w), x, offset, weight, rtol=1e-4, atol=1e-4)
    bias = torch.rand(6, generator=gen)
    verify(lambda a, o, w: torchvision.ops.deform_conv2d(a, o, w, bias, padding=1)[:, :, 1:-1, 1:-1],
           x, torch.rand(2, 2 * 9, 10, 10, generator=gen), weight, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("mode", ["nearest", "bilinear", "bicubic"])
@pytest.mark.parametrize("padding", ["zeros", "border", "reflection"])
@pytest.mark.parametrize("align", [True, False])
def test_grid_sampler(mode, padding, align):
    gen = torch.Generator().manual_seed(4)
    grid = torch.rand(2, 5, 6, 2, generator=gen) * 2.4 - 1.2  # some positions outside [-1, 1]
    fn = lambda x, g: F.grid_sample(x, g, mode=mode, padding_mode=padding, align_corners=align)  # noqa: E731
    verify(fn, torch.rand(2, 3, 8, 8, generator=gen), grid)
    if mode != "bicubic":  # torch has no tricubic
        verify(fn, torch.rand(1, 2, 4, 4, 4, generator=gen), torch.rand(1, 3, 5, 6, 3, generator=gen) * 2.4 - 1.2)


@pytest.mark.parametrize("n_fft,hop,win,center,pad_mode,normalized,onesided", [
    (3, 3, 3, False, "constant", False, True), (3, 3, 3, True, "reflect", False, True),
    (3, 3, 3, True, "reflect", True, True), (3, 3, 3, True, "reflect", False, False),
    (2, 1, 2, False, "reflect", False, True), (8, 2, 6, True, "reflect", True, True)])
def test_stft(n_fft, hop, win, center, pad_mode, normalized, onesided):
    def fn(x, w):
        return torch.stft(x, n_fft, hop, win, w, center, pad_mode, normalized, onesided, return_complex=False)

    gen = torch.Generator().manual_seed(5)
    verify(fn, torch.rand(2, 16, generator=gen), torch.rand(win, generator=gen) + 0.5)


@pytest.mark.parametrize("right", [False, True])
@pytest.mark.parametrize("out_int32", [False, True])
def test_searchsorted_and_bucketize(right, out_int32):
    seq2 = torch.tensor([[1, 3, 5, 7, 9], [2, 4, 6, 8, 10]])
    verify(lambda s, v: torch.searchsorted(s, v, out_int32=out_int32, right=right), seq2,
           torch.tensor([[3, 6, 9], [3, 6, 11]]))
    seq1 = torch.tensor([1.0, 3.0, 3.0, 5.0, 7.0, 9.0, 9.0])
    verify(lambda s, v: torch.searchsorted(s, v, out_int32=out_int32, right=right), seq1,
           torch.tensor([[3.0, 6.0, 9.0, 0.0], [4.0, 2.0, 7.0, 10.0]]))
    verify(lambda v, b: torch.bucketize(v, b, out_int32=out_int32, right=right),
           torch.tensor([3, 6, 9, -4, 12]), torch.tensor([1, 3, 5, 7, 9]))
