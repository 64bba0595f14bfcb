/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/relay/attrs/nn.h
 * \brief Attributes of the neural-network operators (relay.nn.*). Each is a
 *  reflected node; member initialisers are the defaults TVM v0.14 documents,
 *  so tvm.ir.make_node("relay.attrs.Conv2DAttrs") gives a usable object.
 */
#ifndef TVM_RELAY_ATTRS_NN_H_
#define TVM_RELAY_ATTRS_NN_H_

#include <tvm/ir/attrs.h>
#include <tvm/ir/expr.h>

#include <string>

namespace tvm {
namespace relay {

/*! \brief Shared by conv1d/2d/3d (the spatial arrays have one entry per spatial axis). */
template <int kSpatial>
struct ConvAttrsBase : public BaseAttrsNode {
  Array<PrimExpr> strides;
  Array<PrimExpr> padding;
  Array<PrimExpr> dilation;
  int groups{1};
  PrimExpr channels;
  Array<PrimExpr> kernel_size;
  std::string data_layout;
  std::string kernel_layout;
  std::string out_layout;
  DataType out_dtype;
  ConvAttrsBase() {
    for (int i = 0; i < kSpatial; ++i) {
      strides.push_back(Integer(1));
      dilation.push_back(Integer(1));
    }
    // TVM's conv1d default padding has two entries (left, right); 2d and 3d one per axis.
    for (int i = 0; i < (kSpatial == 1 ? 2 : kSpatial); ++i) padding.push_back(Integer(0));
  }
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("strides", &strides);
    v->Visit("padding", &padding);
    v->Visit("dilation", &dilation);
    v->Visit("groups", &groups);
    v->Visit("channels", &channels);
    v->Visit("kernel_size", &kernel_size);
    v->Visit("data_layout", &data_layout);
    v->Visit("kernel_layout", &kernel_layout);
    v->Visit("out_layout", &out_layout);
    v->Visit("out_dtype", &out_dtype);
  }
};

struct Conv1DAttrs : public ConvAttrsBase<1> {
  Conv1DAttrs() { data_layout = "NCW", kernel_layout = "OIW"; }
  static constexpr const char* _type_key = "relay.attrs.Conv1DAttrs";
  using _type_parent = BaseAttrsNode;
};
struct Conv2DAttrs : public ConvAttrsBase<2> {
  Conv2DAttrs() { data_layout = "NCHW", kernel_layout = "OIHW"; }
  static constexpr const char* _type_key = "relay.attrs.Conv2DAttrs";
  using _type_parent = BaseAttrsNode;
};
/*! \brief nn.contrib_conv2d_winograd_without_weight_transform: the conv2d fields, the tile size
 *  m of F(m x m, 3 x 3), and TVM's two tuning-layout fields (kept for compatibility). */
struct Conv2DWinogradAttrs : public ConvAttrsBase<2> {
  int tile_size{4};
  std::string auto_scheduler_rewritten_layout;
  Array<PrimExpr> meta_schedule_original_shape;
  Conv2DWinogradAttrs() { data_layout = "NCHW", kernel_layout = "OIHW"; }
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("tile_size", &tile_size);
    ConvAttrsBase<2>::VisitAttrs(v);
    v->Visit("auto_scheduler_rewritten_layout", &auto_scheduler_rewritten_layout);
    v->Visit("meta_schedule_original_shape", &meta_schedule_original_shape);
  }
  static constexpr const char* _type_key = "relay.attrs.Conv2DWinogradAttrs";
  using _type_parent = BaseAttrsNode;
};
/*! \brief nn.contrib_conv2d_winograd_weight_transform. */
struct ConvWinogradWeightTransformAttrs : public BaseAttrsNode {
  int tile_size{4};
  void VisitAttrs(AttrVisitor* v) { v->Visit("tile_size", &tile_size); }
  static constexpr const char* _type_key = "relay.attrs.ConvWinogradWeightTransformAttrs";
  using _type_parent = BaseAttrsNode;
};
struct Conv3DAttrs : public ConvAttrsBase<3> {
  Conv3DAttrs() { data_layout = "NCDHW", kernel_layout = "OIDHW"; }
  static constexpr const char* _type_key = "relay.attrs.Conv3DAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief conv1d/2d/3d_transpose: the conv fields plus output_padding. */
template <int kSpatial>
struct ConvTransposeAttrsBase : public ConvAttrsBase<kSpatial> {
  Array<PrimExpr> output_padding;
  ConvTransposeAttrsBase() {
    this->padding = {};
    for (int i = 0; i < kSpatial; ++i) {
      output_padding.push_back(Integer(0));
      this->padding.push_back(Integer(0));
    }
  }
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("channels", &this->channels);
    v->Visit("kernel_size", &this->kernel_size);
    v->Visit("strides", &this->strides);
    v->Visit("output_padding", &output_padding);
    v->Visit("padding", &this->padding);
    v->Visit("dilation", &this->dilation);
    v->Visit("groups", &this->groups);
    v->Visit("data_layout", &this->data_layout);
    v->Visit("kernel_layout", &this->kernel_layout);
    v->Visit("out_layout", &this->out_layout);
    v->Visit("out_dtype", &this->out_dtype);
  }
};
struct Conv1DTransposeAttrs : public ConvTransposeAttrsBase<1> {
  Conv1DTransposeAttrs() { data_layout = "NCW", kernel_layout = "IOW"; }
  static constexpr const char* _type_key = "relay.attrs.Conv1DTransposeAttrs";
  using _type_parent = BaseAttrsNode;
};
struct Conv2DTransposeAttrs : public ConvTransposeAttrsBase<2> {
  Conv2DTransposeAttrs() { data_layout = "NCHW", kernel_layout = "IOHW"; }
  static constexpr const char* _type_key = "relay.attrs.Conv2DTransposeAttrs";
  using _type_parent = BaseAttrsNode;
};
struct Conv3DTransposeAttrs : public ConvTransposeAttrsBase<3> {
  Conv3DTransposeAttrs() { data_layout = "NCDHW", kernel_layout = "IODHW"; }
  static constexpr const char* _type_key = "relay.attrs.Conv3DTransposeAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief max_pool1d/2d/3d (avg pools add count_include_pad). */
template <int kSpatial>
struct PoolAttrsBase : public BaseAttrsNode {
  Array<PrimExpr> pool_size;
  Array<PrimExpr> strides;
  Array<PrimExpr> dilation;
  Array<PrimExpr> padding;
  std::string layout;
  std::string out_layout;
  bool ceil_mode{false};
  PoolAttrsBase() {
    for (int i = 0; i < kSpatial; ++i) {
      strides.push_back(Integer(1));
      dilation.push_back(Integer(1));
      padding.push_back(Integer(0));
    }
    layout = kSpatial == 1 ? "NCW" : kSpatial == 2 ? "NCHW" : "NCDHW";
  }
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("pool_size", &pool_size);
    v->Visit("strides", &strides);
    v->Visit("dilation", &dilation);
    v->Visit("padding", &padding);
    v->Visit("layout", &layout);
    v->Visit("out_layout", &out_layout);
    v->Visit("ceil_mode", &ceil_mode);
  }
};
template <int kSpatial>
struct AvgPoolAttrsBase : public PoolAttrsBase<kSpatial> {
  bool count_include_pad{false};
  void VisitAttrs(AttrVisitor* v) {
    PoolAttrsBase<kSpatial>::VisitAttrs(v);
    v->Visit("count_include_pad", &count_include_pad);
  }
};
struct MaxPool1DAttrs : public PoolAttrsBase<1> {
  static constexpr const char* _type_key = "relay.attrs.MaxPool1DAttrs";
  using _type_parent = BaseAttrsNode;
};
struct MaxPool2DAttrs : public PoolAttrsBase<2> {
  static constexpr const char* _type_key = "relay.attrs.MaxPool2DAttrs";
  using _type_parent = BaseAttrsNode;
};
struct MaxPool3DAttrs : public PoolAttrsBase<3> {
  static constexpr const char* _type_key = "relay.attrs.MaxPool3DAttrs";
  using _type_parent = BaseAttrsNode;
};
struct AvgPool1DAttrs : public AvgPoolAttrsBase<1> {
  static constexpr const char* _type_key = "relay.attrs.AvgPool1DAttrs";
  using _type_parent = BaseAttrsNode;
};
struct AvgPool2DAttrs : public AvgPoolAttrsBase<2> {
  static constexpr const char* _type_key = "relay.attrs.AvgPool2DAttrs";
  using _type_parent = BaseAttrsNode;
};
struct AvgPool3DAttrs : public AvgPoolAttrsBase<3> {
  static constexpr const char* _type_key = "relay.attrs.AvgPool3DAttrs";
  using _type_parent = BaseAttrsNode;
};

struct GlobalPool2DAttrs : public BaseAttrsNode {
  std::string layout{"NCHW"};
  std::string out_layout;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("layout", &layout);
    v->Visit("out_layout", &out_layout);
  }
  static constexpr const char* _type_key = "relay.attrs.GlobalPool2DAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief adaptive pools: output_size has one entry per spatial axis (or one for all, or none: 1). */
template <int kSpatial>
struct AdaptivePoolAttrsBase : public BaseAttrsNode {
  Array<PrimExpr> output_size;
  std::string layout{kSpatial == 1 ? "NCW" : kSpatial == 2 ? "NCHW" : "NCDHW"};
  std::string out_layout;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("output_size", &output_size);
    v->Visit("layout", &layout);
    v->Visit("out_layout", &out_layout);
  }
};
struct AdaptivePool1DAttrs : public AdaptivePoolAttrsBase<1> {
  static constexpr const char* _type_key = "relay.attrs.AdaptivePool1DAttrs";
  using _type_parent = BaseAttrsNode;
};
struct AdaptivePool2DAttrs : public AdaptivePoolAttrsBase<2> {
  static constexpr const char* _type_key = "relay.attrs.AdaptivePool2DAttrs";
  using _type_parent = BaseAttrsNode;
};
struct AdaptivePool3DAttrs : public AdaptivePoolAttrsBase<3> {
  static constexpr const char* _type_key = "relay.attrs.AdaptivePool3DAttrs";
  using _type_parent = BaseAttrsNode;
};

struct SoftmaxAttrs : public BaseAttrsNode {
  int axis{-1};
  void VisitAttrs(AttrVisitor* v) { v->Visit("axis", &axis); }
  static constexpr const char* _type_key = "relay.attrs.SoftmaxAttrs";
  using _type_parent = BaseAttrsNode;
};

struct BiasAddAttrs : public BaseAttrsNode {
  int axis{1};
  void VisitAttrs(AttrVisitor* v) { v->Visit("axis", &axis); }
  static constexpr const char* _type_key = "relay.attrs.BiasAddAttrs";
  using _type_parent = BaseAttrsNode;
};

struct DenseAttrs : public BaseAttrsNode {
  PrimExpr units;
  DataType out_dtype;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("units", &units);
    v->Visit("out_dtype", &out_dtype);
  }
  static constexpr const char* _type_key = "relay.attrs.DenseAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief nn.contrib_dense_pack: dense with its weight in a packed layout such as "NC16n". */
struct DensePackAttrs : public BaseAttrsNode {
  PrimExpr units;
  DataType out_dtype;
  String weight_layout{"NC"};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("units", &units);
    v->Visit("out_dtype", &out_dtype);
    v->Visit("weight_layout", &weight_layout);
  }
  static constexpr const char* _type_key = "relay.attrs.DensePackAttrs";
  using _type_parent = BaseAttrsNode;
};

struct MatmulAttrs : public BaseAttrsNode {
  PrimExpr units;
  DataType out_dtype;
  bool transpose_a{false};
  bool transpose_b{false};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("units", &units);
    v->Visit("out_dtype", &out_dtype);
    v->Visit("transpose_a", &transpose_a);
    v->Visit("transpose_b", &transpose_b);
  }
  static constexpr const char* _type_key = "relay.attrs.MatmulAttrs";
  using _type_parent = BaseAttrsNode;
};

struct BatchMatmulAttrs : public BaseAttrsNode {
  DataType out_dtype;
  bool transpose_a{false};
  bool transpose_b{true};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("out_dtype", &out_dtype);
    v->Visit("transpose_a", &transpose_a);
    v->Visit("transpose_b", &transpose_b);
  }
  static constexpr const char* _type_key = "relay.attrs.BatchMatmulAttrs";
  using _type_parent = BaseAttrsNode;
};

struct UpSamplingAttrs : public BaseAttrsNode {
  double scale_h{1.0};
  double scale_w{1.0};
  std::string layout{"NCHW"};
  std::string method{"nearest_neighbor"};
  bool align_corners{false};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("scale_h", &scale_h);
    v->Visit("scale_w", &scale_w);
    v->Visit("layout", &layout);
    v->Visit("method", &method);
    v->Visit("align_corners", &align_corners);
  }
  static constexpr const char* _type_key = "relay.attrs.UpSamplingAttrs";
  using _type_parent = BaseAttrsNode;
};

struct UpSampling3DAttrs : public BaseAttrsNode {
  double scale_d{1.0};
  double scale_h{1.0};
  double scale_w{1.0};
  std::string layout{"NCDHW"};
  std::string method{"nearest_neighbor"};
  std::string coordinate_transformation_mode{"half_pixel"};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("scale_d", &scale_d);
    v->Visit("scale_h", &scale_h);
    v->Visit("scale_w", &scale_w);
    v->Visit("layout", &layout);
    v->Visit("method", &method);
    v->Visit("coordinate_transformation_mode", &coordinate_transformation_mode);
  }
  static constexpr const char* _type_key = "relay.attrs.UpSampling3DAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief pad: pad_width is one (before, after) pair per axis; the pad value is an input. */
struct PadAttrs : public BaseAttrsNode {
  Array<Array<Integer>> pad_width;
  std::string pad_mode{"constant"};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("pad_width", &pad_width);
    v->Visit("pad_mode", &pad_mode);
  }
  static constexpr const char* _type_key = "relay.attrs.PadAttrs";
  using _type_parent = BaseAttrsNode;
};

struct LeakyReluAttrs : public BaseAttrsNode {
  double alpha{0.25};
  void VisitAttrs(AttrVisitor* v) { v->Visit("alpha", &alpha); }
  static constexpr const char* _type_key = "relay.attrs.LeakyReluAttrs";
  using _type_parent = BaseAttrsNode;
};

struct PReluAttrs : public BaseAttrsNode {
  int axis{1};
  void VisitAttrs(AttrVisitor* v) { v->Visit("axis", &axis); }
  static constexpr const char* _type_key = "relay.attrs.PReluAttrs";
  using _type_parent = BaseAttrsNode;
};

struct DropoutAttrs : public BaseAttrsNode {
  double rate{0.5};
  void VisitAttrs(AttrVisitor* v) { v->Visit("rate", &rate); }
  static constexpr const char* _type_key = "relay.attrs.DropoutAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief batch/instance/layer norm share these fields (axis defaults differ). */
template <int kAxis>
struct NormAttrsBase : public BaseAttrsNode {
  int axis{kAxis};
  double epsilon{1e-5};
  bool center{true};
  bool scale{true};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("axis", &axis);
    v->Visit("epsilon", &epsilon);
    v->Visit("center", &center);
    v->Visit("scale", &scale);
  }
};
struct BatchNormAttrs : public NormAttrsBase<1> {
  static constexpr const char* _type_key = "relay.attrs.BatchNormAttrs";
  using _type_parent = BaseAttrsNode;
};
struct InstanceNormAttrs : public NormAttrsBase<1> {
  static constexpr const char* _type_key = "relay.attrs.InstanceNormAttrs";
  using _type_parent = BaseAttrsNode;
};
struct LayerNormAttrs : public NormAttrsBase<-1> {
  static constexpr const char* _type_key = "relay.attrs.LayerNormAttrs";
  using _type_parent = BaseAttrsNode;
};
struct GroupNormAttrs : public BaseAttrsNode {
  int num_groups{0};
  int axis{1};
  double epsilon{1e-5};
  bool center{true};
  bool scale{true};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("num_groups", &num_groups);
    v->Visit("axis", &axis);
    v->Visit("epsilon", &epsilon);
    v->Visit("center", &center);
    v->Visit("scale", &scale);
  }
  static constexpr const char* _type_key = "relay.attrs.GroupNormAttrs";
  using _type_parent = BaseAttrsNode;
};

struct LRNAttrs : public BaseAttrsNode {
  int size{5};
  int axis{1};
  double bias{2.0};
  double alpha{0.00001};
  double beta{0.75};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("size", &size);
    v->Visit("axis", &axis);
    v->Visit("bias", &bias);
    v->Visit("alpha", &alpha);
    v->Visit("beta", &beta);
  }
  static constexpr const char* _type_key = "relay.attrs.LRNAttrs";
  using _type_parent = BaseAttrsNode;
};

struct L2NormalizeAttrs : public BaseAttrsNode {
  double eps{0.0};
  Array<Integer> axis;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("eps", &eps);
    v->Visit("axis", &axis);
  }
  static constexpr const char* _type_key = "relay.attrs.L2NormalizeAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief depth_to_space / space_to_depth. mode is "DCR" or "CRD" (depth_to_space only). */
struct SubPixelAttrs : public BaseAttrsNode {
  int block_size{1};
  std::string layout{"NCHW"};
  std::string mode{"DCR"};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("block_size", &block_size);
    v->Visit("layout", &layout);
    v->Visit("mode", &mode);
  }
  static constexpr const char* _type_key = "relay.attrs.SubPixelAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief mirror_pad: mode "SYMMETRIC" (edge repeated) or "REFLECT". */
struct MirrorPadAttrs : public BaseAttrsNode {
  std::string mode{"SYMMETRIC"};
  Array<Array<PrimExpr>> pad_width;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("mode", &mode);
    v->Visit("pad_width", &pad_width);
  }
  static constexpr const char* _type_key = "relay.attrs.MirrorPadAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief dilate: strides[i] - 1 values of dilation_value between neighbours on axis i. */
struct DilateAttrs : public BaseAttrsNode {
  Array<PrimExpr> strides{Integer(1), Integer(1)};
  double dilation_value{0.0};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("strides", &strides);
    v->Visit("dilation_value", &dilation_value);
  }
  static constexpr const char* _type_key = "relay.attrs.DilateAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief nll_loss: reduction "mean", "sum" or "none". */
struct NLLLossAttrs : public BaseAttrsNode {
  std::string reduction{"mean"};
  int ignore_index{-100};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("reduction", &reduction);
    v->Visit("ignore_index", &ignore_index);
  }
  static constexpr const char* _type_key = "relay.attrs.NLLLossAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief deformable_conv2d: conv2d whose sampling positions move by a learnt offset input. */
struct DeformableConv2DAttrs : public ConvAttrsBase<2> {
  int deformable_groups{1};
  DeformableConv2DAttrs() { data_layout = "NCHW", kernel_layout = "OIHW"; }
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("strides", &strides);
    v->Visit("padding", &padding);
    v->Visit("dilation", &dilation);
    v->Visit("deformable_groups", &deformable_groups);
    v->Visit("groups", &groups);
    v->Visit("channels", &channels);
    v->Visit("kernel_size", &kernel_size);
    v->Visit("data_layout", &data_layout);
    v->Visit("kernel_layout", &kernel_layout);
    v->Visit("out_layout", &out_layout);
    v->Visit("out_dtype", &out_dtype);
  }
  static constexpr const char* _type_key = "relay.attrs.DeformableConv2DAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief space_to_batch_nd: block_shape per spatial axis, (before, after) paddings per axis, pad value. */
struct SpaceToBatchNDAttrs : public BaseAttrsNode {
  Array<Integer> block_shape;
  Array<Array<PrimExpr>> paddings;
  double pad_value{0.0};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("block_shape", &block_shape);
    v->Visit("paddings", &paddings);
    v->Visit("pad_value", &pad_value);
  }
  static constexpr const char* _type_key = "relay.attrs.SpaceToBatchNDAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief batch_to_space_nd: block_shape per spatial axis, (begin, end) crops per axis. */
struct BatchToSpaceNDAttrs : public BaseAttrsNode {
  Array<Integer> block_shape;
  Array<Array<PrimExpr>> crops;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("block_shape", &block_shape);
    v->Visit("crops", &crops);
  }
  static constexpr const char* _type_key = "relay.attrs.BatchToSpaceNDAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief bitserial_dense: dense over the low data_bits / weight_bits bits, packed in pack_dtype words;
 *  unipolar weights read each bit as -1 or +1. */
struct BinaryDenseAttrs : public BaseAttrsNode {
  PrimExpr units;
  int data_bits{1};
  int weight_bits{1};
  DataType pack_dtype;
  DataType out_dtype;
  bool unipolar{true};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("units", &units);
    v->Visit("data_bits", &data_bits);
    v->Visit("weight_bits", &weight_bits);
    v->Visit("pack_dtype", &pack_dtype);
    v->Visit("out_dtype", &out_dtype);
    v->Visit("unipolar", &unipolar);
  }
  static constexpr const char* _type_key = "relay.attrs.BinaryDenseAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief correlation (FlowNet): patch comparisons of two feature maps over displacements. */
struct CorrelationAttrs : public BaseAttrsNode {
  int kernel_size{1};
  int max_displacement{1};
  int stride1{1};
  int stride2{1};
  Array<PrimExpr> padding{Integer(0), Integer(0)};
  bool is_multiply{true};
  std::string layout{"NCHW"};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("kernel_size", &kernel_size);
    v->Visit("max_displacement", &max_displacement);
    v->Visit("stride1", &stride1);
    v->Visit("stride2", &stride2);
    v->Visit("padding", &padding);
    v->Visit("is_multiply", &is_multiply);
    v->Visit("layout", &layout);
  }
  static constexpr const char* _type_key = "relay.attrs.CorrelationAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief bitpack: the low `bits` bits of data, packed along pack_axis into pack_type words, one
 *  bit plane per entry of the new bit_axis. */
struct BitPackAttrs : public BaseAttrsNode {
  int bits{1};
  int pack_axis{1};
  int bit_axis{-1};
  DataType pack_type;
  std::string name{"BitPack"};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("bits", &bits);
    v->Visit("pack_axis", &pack_axis);
    v->Visit("bit_axis", &bit_axis);
    v->Visit("pack_type", &pack_type);
    v->Visit("name", &name);
  }
  static constexpr const char* _type_key = "relay.attrs.BitPackAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief bitserial_conv2d: conv2d over the low activation_bits / weight_bits bits. */
struct BinaryConv2DAttrs : public BaseAttrsNode {
  Array<PrimExpr> strides{Integer(1), Integer(1)};
  Array<PrimExpr> padding{Integer(0), Integer(0)};
  PrimExpr channels;
  Array<PrimExpr> kernel_size{Integer(3), Integer(3)};
  int activation_bits{1};
  int weight_bits{1};
  std::string data_layout{"NCHW"};
  std::string kernel_layout{"OIHW"};
  DataType pack_dtype;
  DataType out_dtype;
  bool unipolar{true};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("strides", &strides);
    v->Visit("padding", &padding);
    v->Visit("channels", &channels);
    v->Visit("kernel_size", &kernel_size);
    v->Visit("activation_bits", &activation_bits);
    v->Visit("weight_bits", &weight_bits);
    v->Visit("data_layout", &data_layout);
    v->Visit("kernel_layout", &kernel_layout);
    v->Visit("pack_dtype", &pack_dtype);
    v->Visit("out_dtype", &out_dtype);
    v->Visit("unipolar", &unipolar);
  }
  static constexpr const char* _type_key = "relay.attrs.BinaryConv2DAttrs";
  using _type_parent = BaseAttrsNode;
};

}  // namespace relay
}  // namespace tvm
#endif  // TVM_RELAY_ATTRS_NN_H_
