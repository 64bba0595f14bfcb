# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""VGG (Simonyan and Zisserman, "Very Deep Convolutional Networks for Large-Scale
Image Recognition", 2014): five groups of 3x3 convolutions, each closed by a 2x2 max
pool, then three dense layers (4096, 4096, classes) with dropout between them."""
from tvm import relay
from .init import create_workload
from . import layers as wrapper

# Convolutions per group, by depth; the groups have 64, 128, 256, 512, 512 filters.
_CONVS_PER_GROUP = {
    11: [1, 1, 2, 2, 2],
    13: [2, 2, 2, 2, 2],
    16: [2, 2, 3, 3, 3],
    19: [2, 2, 4, 4, 4],
}
_GROUP_FILTERS = [64, 128, 256, 512, 512]


def get_feature(internal_layer, layers, filters, batch_norm=False):
    """The convolutional body: group i has layers[i] convolutions `conv<i+1>_<j+1>` of
    filters[i] channels (each with a bias, batch norm `bn<i+1>_<j+1>` when batch_norm,
    and ReLU) and ends with a 2x2 max pool."""
    body = internal_layer
    for i, (count, channels) in enumerate(zip(layers, filters), start=1):
        for j in range(1, count + 1):
            body = wrapper.conv2d(
                data=body, kernel_size=(3, 3), padding=(1, 1), channels=channels, name=f"conv{i}_{j}"
            )
            body = relay.nn.bias_add(body, relay.var(f"conv{i}_{j}_bias"))
            if batch_norm:
                body = wrapper.batch_norm_infer(data=body, name=f"bn{i}_{j}")
            body = relay.nn.relu(data=body)
        body = relay.nn.max_pool2d(data=body, pool_size=(2, 2), strides=(2, 2))
    return body


def get_classifier(input_data, num_classes):
    """The classifier: dense fc6 and fc7 (4096 units, ReLU, dropout 0.5) and fc8."""
    body = relay.nn.batch_flatten(data=input_data)
    for name in ("fc6", "fc7"):
        body = wrapper.dense_add_bias(data=body, units=4096, name=name)
        body = relay.nn.relu(data=body)
        body = relay.nn.dropout(data=body, rate=0.5)
    return wrapper.dense_add_bias(data=body, units=num_classes, name="fc8")


def get_net(batch_size, image_shape, num_classes, dtype, num_layers=11, batch_norm=False):
    """The VGG function of depth num_layers (11, 13, 16 or 19) ending in a softmax."""
    if num_layers not in _CONVS_PER_GROUP:
        raise ValueError(
            f"vgg: invalid num_layers {num_layers}; choose one of {sorted(_CONVS_PER_GROUP)}"
        )
    data = relay.var("data", shape=(batch_size,) + tuple(image_shape), dtype=dtype)
    feature = get_feature(data, _CONVS_PER_GROUP[num_layers], _GROUP_FILTERS, batch_norm)
    body = relay.nn.softmax(data=get_classifier(feature, num_classes))
    return relay.Function(relay.analysis.free_vars(body), body)


def get_workload(
    batch_size,
    num_classes=1000,
    image_shape=(3, 224, 224),
    dtype="float32",
    num_layers=11,
    batch_norm=False,
):
    """(mod, params) of VGG-num_layers (with batch norm after each convolution when
    batch_norm) for images of `image_shape` (CHW)."""
    net = get_net(batch_size, image_shape, num_classes, dtype, num_layers, batch_norm)
    return create_workload(net)
