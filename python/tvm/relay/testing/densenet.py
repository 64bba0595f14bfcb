# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""DenseNet (Huang et al., "Densely Connected Convolutional Networks", 2017), in NCHW,
with the layer and weight names of TVM's model zoo.

As in TVM's zoo, a dense block chains its layers (each one reads the previous
layer's output) and concatenates all their outputs at the end of the block."""
from tvm import relay
from . import layers
from .init import create_workload

# (initial features, growth rate, layers per dense block), by size.
_SPECS = {
    121: (64, 32, [6, 12, 24, 16]),
    161: (96, 48, [6, 12, 36, 24]),
    169: (64, 32, [6, 12, 32, 32]),
    201: (64, 32, [6, 12, 48, 32]),
}


def _bn_relu_conv(data, bn_name, conv_name, **conv_kwargs):
    body = relay.nn.relu(layers.batch_norm_infer(data, name=bn_name))
    return layers.conv2d(body, name=conv_name, **conv_kwargs)


def _make_dense_layer(data, growth_rate, bn_size, index):
    """Bottleneck layer `index`: BN-ReLU-1x1 conv to bn_size * growth_rate channels,
    BN-ReLU-3x3 conv to growth_rate channels."""
    body = _bn_relu_conv(
        data, f"batch_1_{index}", f"conv2d_1_{index}", channels=bn_size * growth_rate, kernel_size=(1, 1)
    )
    return _bn_relu_conv(
        body,
        f"batch_2_{index}",
        f"conv2d_2_{index}",
        channels=growth_rate,
        kernel_size=(3, 3),
        padding=(1, 1),
    )


def _make_dense_block(data, num_layers, bn_size, growth_rate, index):
    """Dense block `index`: num_layers layers, their outputs concatenated on the channels."""
    outputs = []
    body = data
    for i in range(num_layers):
        body = _make_dense_layer(body, growth_rate, bn_size, f"{index}_{i}")
        outputs.append(body)
    return relay.concatenate(outputs, 1)


def _make_transition(data, num_output_features, index):
    """Transition `index` between blocks: BN-ReLU-1x1 conv, then a 2x2 average pool."""
    body = _bn_relu_conv(
        data, f"batch_t_{index}", f"conv_t_{index}", channels=num_output_features, kernel_size=(1, 1)
    )
    return relay.nn.avg_pool2d(body, pool_size=(2, 2), strides=(2, 2))


def _make_dense_net(
    num_init_features, growth_rate, block_config, data_shape, data_dtype, bn_size=4, classes=1000
):
    """The DenseNet function: a 7x7 stride-2 stem and a max pool, dense blocks of
    block_config layers with transitions halving the features between them, a final
    BN-ReLU, a 7x7 average pool and a dense classifier (no softmax)."""
    data = relay.Var("data", relay.TensorType(data_shape, data_dtype))
    body = layers.conv2d(
        data, channels=num_init_features, kernel_size=(7, 7), strides=(2, 2), padding=(3, 3), name="conv1"
    )
    body = relay.nn.relu(layers.batch_norm_infer(body, name="batch1"))
    body = relay.nn.max_pool2d(body, pool_size=(3, 3), strides=(2, 2), padding=(1, 1))
    num_features = num_init_features
    for i, num_layers in enumerate(block_config):
        body = _make_dense_block(body, num_layers, bn_size, growth_rate, i)
        num_features += num_layers * growth_rate
        if i + 1 < len(block_config):
            num_features //= 2
            body = _make_transition(body, num_features, i)
    body = relay.nn.relu(layers.batch_norm_infer(body, name="batch2"))
    body = relay.nn.avg_pool2d(body, pool_size=(7, 7))
    body = relay.nn.batch_flatten(body)
    body = layers.dense_add_bias(body, units=classes, name="dense")
    return relay.Function(relay.analysis.free_vars(body), body)


def get_workload(
    densenet_size=121, classes=1000, batch_size=4, image_shape=(3, 224, 224), dtype="float32"
):
    """(mod, params) of DenseNet-`densenet_size` (121, 161, 169 or 201). The final 7x7
    pool needs images of at least 224 pixels (the body downsamples 32 times)."""
    if densenet_size not in _SPECS:
        raise ValueError(
            f"densenet: unsupported densenet_size {densenet_size}; choose one of {sorted(_SPECS)}"
        )
    num_init_features, growth_rate, block_config = _SPECS[densenet_size]
    net = _make_dense_net(
        num_init_features,
        growth_rate,
        block_config,
        (batch_size,) + tuple(image_shape),
        dtype,
        bn_size=4,
        classes=classes,
    )
    return create_workload(net)
