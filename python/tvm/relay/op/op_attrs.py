# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Python classes of the operator attribute nodes (relay.attrs.*): fields are read
through reflection, e.g. call.attrs.strides."""
from ..._ffi.registry import register_object
from ...ir import Attrs


@register_object("relay.attrs.AdaptivePool1DAttrs")
class AdaptivePool1DAttrs(Attrs):
    """Attributes of the operators using AdaptivePool1DAttrs."""


@register_object("relay.attrs.AdaptivePool2DAttrs")
class AdaptivePool2DAttrs(Attrs):
    """Attributes of the operators using AdaptivePool2DAttrs."""


@register_object("relay.attrs.AdaptivePool3DAttrs")
class AdaptivePool3DAttrs(Attrs):
    """Attributes of the operators using AdaptivePool3DAttrs."""


@register_object("relay.attrs.ArangeAttrs")
class ArangeAttrs(Attrs):
    """Attributes of the operators using ArangeAttrs."""


@register_object("relay.attrs.ArgReduceAttrs")
class ArgReduceAttrs(Attrs):
    """Attributes of the operators using ArgReduceAttrs."""


@register_object("relay.attrs.ArgsortAttrs")
class ArgsortAttrs(Attrs):
    """Attributes of the operators using ArgsortAttrs."""


@register_object("relay.attrs.AvgPool1DAttrs")
class AvgPool1DAttrs(Attrs):
    """Attributes of the operators using AvgPool1DAttrs."""


@register_object("relay.attrs.AvgPool2DAttrs")
class AvgPool2DAttrs(Attrs):
    """Attributes of the operators using AvgPool2DAttrs."""


@register_object("relay.attrs.AvgPool3DAttrs")
class AvgPool3DAttrs(Attrs):
    """Attributes of the operators using AvgPool3DAttrs."""


@register_object("relay.attrs.BatchMatmulAttrs")
class BatchMatmulAttrs(Attrs):
    """Attributes of the operators using BatchMatmulAttrs."""


@register_object("relay.attrs.BatchNormAttrs")
class BatchNormAttrs(Attrs):
    """Attributes of the operators using BatchNormAttrs."""


@register_object("relay.attrs.BiasAddAttrs")
class BiasAddAttrs(Attrs):
    """Attributes of the operators using BiasAddAttrs."""


@register_object("relay.attrs.ConcatenateAttrs")
class ConcatenateAttrs(Attrs):
    """Attributes of the operators using ConcatenateAttrs."""


@register_object("relay.attrs.Conv1DAttrs")
class Conv1DAttrs(Attrs):
    """Attributes of the operators using Conv1DAttrs."""


@register_object("relay.attrs.Conv1DTransposeAttrs")
class Conv1DTransposeAttrs(Attrs):
    """Attributes of the operators using Conv1DTransposeAttrs."""


@register_object("relay.attrs.Conv2DAttrs")
class Conv2DAttrs(Attrs):
    """Attributes of the operators using Conv2DAttrs."""


@register_object("relay.attrs.Conv2DTransposeAttrs")
class Conv2DTransposeAttrs(Attrs):
    """Attributes of the operators using Conv2DTransposeAttrs."""


@register_object("relay.attrs.Conv3DAttrs")
class Conv3DAttrs(Attrs):
    """Attributes of the operators using Conv3DAttrs."""


@register_object("relay.attrs.Conv3DTransposeAttrs")
class Conv3DTransposeAttrs(Attrs):
    """Attributes of the operators using Conv3DTransposeAttrs."""


@register_object("relay.attrs.DeformableConv2DAttrs")
class DeformableConv2DAttrs(Attrs):
    """Attributes of the operators using DeformableConv2DAttrs."""


@register_object("relay.attrs.DenseAttrs")
class DenseAttrs(Attrs):
    """Attributes of the operators using DenseAttrs."""


@register_object("relay.attrs.DilateAttrs")
class DilateAttrs(Attrs):
    """Attributes of the operators using DilateAttrs."""


@register_object("relay.attrs.Dilation2DAttrs")
class Dilation2DAttrs(Attrs):
    """Attributes of the operators using Dilation2DAttrs."""


@register_object("relay.attrs.DropoutAttrs")
class DropoutAttrs(Attrs):
    """Attributes of the operators using DropoutAttrs."""


@register_object("relay.attrs.EinsumAttrs")
class EinsumAttrs(Attrs):
    """Attributes of the operators using EinsumAttrs."""


@register_object("relay.attrs.ExpandDimsAttrs")
class ExpandDimsAttrs(Attrs):
    """Attributes of the operators using ExpandDimsAttrs."""


@register_object("relay.attrs.GatherAttrs")
class GatherAttrs(Attrs):
    """Attributes of the operators using GatherAttrs."""


@register_object("relay.attrs.GatherNDAttrs")
class GatherNDAttrs(Attrs):
    """Attributes of the operators using GatherNDAttrs."""


@register_object("relay.attrs.GetValidCountsAttrs")
class GetValidCountsAttrs(Attrs):
    """Attributes of the operators using GetValidCountsAttrs."""


@register_object("relay.attrs.GlobalPool2DAttrs")
class GlobalPool2DAttrs(Attrs):
    """Attributes of the operators using GlobalPool2DAttrs."""


@register_object("relay.attrs.GroupNormAttrs")
class GroupNormAttrs(Attrs):
    """Attributes of the operators using GroupNormAttrs."""


@register_object("relay.attrs.InitOpAttrs")
class InitOpAttrs(Attrs):
    """Attributes of the operators using InitOpAttrs."""


@register_object("relay.attrs.InstanceNormAttrs")
class InstanceNormAttrs(Attrs):
    """Attributes of the operators using InstanceNormAttrs."""


@register_object("relay.attrs.L2NormalizeAttrs")
class L2NormalizeAttrs(Attrs):
    """Attributes of the operators using L2NormalizeAttrs."""


@register_object("relay.attrs.LRNAttrs")
class LRNAttrs(Attrs):
    """Attributes of the operators using LRNAttrs."""


@register_object("relay.attrs.LayerNormAttrs")
class LayerNormAttrs(Attrs):
    """Attributes of the operators using LayerNormAttrs."""


@register_object("relay.attrs.LayoutTransformAttrs")
class LayoutTransformAttrs(Attrs):
    """Attributes of the operators using LayoutTransformAttrs."""


@register_object("relay.attrs.LeakyReluAttrs")
class LeakyReluAttrs(Attrs):
    """Attributes of the operators using LeakyReluAttrs."""


@register_object("relay.attrs.MatmulAttrs")
class MatmulAttrs(Attrs):
    """Attributes of the operators using MatmulAttrs."""


@register_object("relay.attrs.MatrixSetDiagAttrs")
class MatrixSetDiagAttrs(Attrs):
    """Attributes of the operators using MatrixSetDiagAttrs."""


@register_object("relay.attrs.MaxPool1DAttrs")
class MaxPool1DAttrs(Attrs):
    """Attributes of the operators using MaxPool1DAttrs."""


@register_object("relay.attrs.MaxPool2DAttrs")
class MaxPool2DAttrs(Attrs):
    """Attributes of the operators using MaxPool2DAttrs."""


@register_object("relay.attrs.MaxPool3DAttrs")
class MaxPool3DAttrs(Attrs):
    """Attributes of the operators using MaxPool3DAttrs."""


@register_object("relay.attrs.MeshgridAttrs")
class MeshgridAttrs(Attrs):
    """Attributes of the operators using MeshgridAttrs."""


@register_object("relay.attrs.MirrorPadAttrs")
class MirrorPadAttrs(Attrs):
    """Attributes of the operators using MirrorPadAttrs."""


@register_object("relay.attrs.MultiBoxPriorAttrs")
class MultiBoxPriorAttrs(Attrs):
    """Attributes of the operators using MultiBoxPriorAttrs."""


@register_object("relay.attrs.MultiBoxTransformLocAttrs")
class MultiBoxTransformLocAttrs(Attrs):
    """Attributes of the operators using MultiBoxTransformLocAttrs."""


@register_object("relay.attrs.NLLLossAttrs")
class NLLLossAttrs(Attrs):
    """Attributes of the operators using NLLLossAttrs."""


@register_object("relay.attrs.NdarraySizeAttrs")
class NdarraySizeAttrs(Attrs):
    """Attributes of the operators using NdarraySizeAttrs."""


@register_object("relay.attrs.NonMaximumSuppressionAttrs")
class NonMaximumSuppressionAttrs(Attrs):
    """Attributes of the operators using NonMaximumSuppressionAttrs."""


@register_object("relay.attrs.OneHotAttrs")
class OneHotAttrs(Attrs):
    """Attributes of the operators using OneHotAttrs."""


@register_object("relay.attrs.PReluAttrs")
class PReluAttrs(Attrs):
    """Attributes of the operators using PReluAttrs."""


@register_object("relay.attrs.PadAttrs")
class PadAttrs(Attrs):
    """Attributes of the operators using PadAttrs."""


@register_object("relay.attrs.ROIAlignAttrs")
class ROIAlignAttrs(Attrs):
    """Attributes of the operators using ROIAlignAttrs."""


@register_object("relay.attrs.ReduceAttrs")
class ReduceAttrs(Attrs):
    """Attributes of the operators using ReduceAttrs."""


@register_object("relay.attrs.RepeatAttrs")
class RepeatAttrs(Attrs):
    """Attributes of the operators using RepeatAttrs."""


@register_object("relay.attrs.ReshapeAttrs")
class ReshapeAttrs(Attrs):
    """Attributes of the operators using ReshapeAttrs."""


@register_object("relay.attrs.ReshapeLikeAttrs")
class ReshapeLikeAttrs(Attrs):
    """Attributes of the operators using ReshapeLikeAttrs."""


@register_object("relay.attrs.Resize1DAttrs")
class Resize1DAttrs(Attrs):
    """Attributes of the operators using Resize1DAttrs."""


@register_object("relay.attrs.Resize2DAttrs")
class Resize2DAttrs(Attrs):
    """Attributes of the operators using Resize2DAttrs."""


@register_object("relay.attrs.Resize3DAttrs")
class Resize3DAttrs(Attrs):
    """Attributes of the operators using Resize3DAttrs."""


@register_object("relay.attrs.ReverseAttrs")
class ReverseAttrs(Attrs):
    """Attributes of the operators using ReverseAttrs."""


@register_object("relay.attrs.ReverseSequenceAttrs")
class ReverseSequenceAttrs(Attrs):
    """Attributes of the operators using ReverseSequenceAttrs."""


@register_object("relay.attrs.ScanopAttrs")
class ScanopAttrs(Attrs):
    """Attributes of the operators using ScanopAttrs."""


@register_object("relay.attrs.ScatterElementsAttrs")
class ScatterElementsAttrs(Attrs):
    """Attributes of the operators using ScatterElementsAttrs."""


@register_object("relay.attrs.SequenceMaskAttrs")
class SequenceMaskAttrs(Attrs):
    """Attributes of the operators using SequenceMaskAttrs."""


@register_object("relay.attrs.ShapeOfAttrs")
class ShapeOfAttrs(Attrs):
    """Attributes of the operators using ShapeOfAttrs."""


@register_object("relay.attrs.SliceLikeAttrs")
class SliceLikeAttrs(Attrs):
    """Attributes of the operators using SliceLikeAttrs."""


@register_object("relay.attrs.SoftmaxAttrs")
class SoftmaxAttrs(Attrs):
    """Attributes of the operators using SoftmaxAttrs."""


@register_object("relay.attrs.SplitAttrs")
class SplitAttrs(Attrs):
    """Attributes of the operators using SplitAttrs."""


@register_object("relay.attrs.SqueezeAttrs")
class SqueezeAttrs(Attrs):
    """Attributes of the operators using SqueezeAttrs."""


@register_object("relay.attrs.StackAttrs")
class StackAttrs(Attrs):
    """Attributes of the operators using StackAttrs."""


@register_object("relay.attrs.StridedSliceAttrs")
class StridedSliceAttrs(Attrs):
    """Attributes of the operators using StridedSliceAttrs."""


@register_object("relay.attrs.SubPixelAttrs")
class SubPixelAttrs(Attrs):
    """Attributes of the operators using SubPixelAttrs."""


@register_object("relay.attrs.TakeAttrs")
class TakeAttrs(Attrs):
    """Attributes of the operators using TakeAttrs."""


@register_object("relay.attrs.TileAttrs")
class TileAttrs(Attrs):
    """Attributes of the operators using TileAttrs."""


@register_object("relay.attrs.TopKAttrs")
class TopKAttrs(Attrs):
    """Attributes of the operators using TopKAttrs."""


@register_object("relay.attrs.TransposeAttrs")
class TransposeAttrs(Attrs):
    """Attributes of the operators using TransposeAttrs."""


@register_object("relay.attrs.TriluAttrs")
class TriluAttrs(Attrs):
    """Attributes of the operators using TriluAttrs."""


@register_object("relay.attrs.UpSampling3DAttrs")
class UpSampling3DAttrs(Attrs):
    """Attributes of the operators using UpSampling3DAttrs."""


@register_object("relay.attrs.UpSamplingAttrs")
class UpSamplingAttrs(Attrs):
    """Attributes of the operators using UpSamplingAttrs."""


@register_object("relay.attrs.VarianceAttrs")
class VarianceAttrs(Attrs):
    """Attributes of the operators using VarianceAttrs."""


@register_object("relay.attrs.YoloReorgAttrs")
class YoloReorgAttrs(Attrs):
    """Attributes of the operators using YoloReorgAttrs."""
