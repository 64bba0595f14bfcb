/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/relay/attrs/transform.h
 * \brief Attributes of the shape and data movement operators (reshape,
 *  transpose, take, strided_slice, ...), and of topk/sort/argsort.
 *  Member initialisers are TVM v0.14's defaults; an undefined ObjectRef field
 *  is TVM's "None".
 */
#ifndef TVM_RELAY_ATTRS_TRANSFORM_H_
#define TVM_RELAY_ATTRS_TRANSFORM_H_

#include <tvm/ir/attrs.h>
#include <tvm/ir/expr.h>
#include <tvm/relay/expr.h>

#include <string>

namespace tvm {
namespace relay {

/*! \brief expand_dims: insert num_newaxis axes of extent 1 at axis. */
struct ExpandDimsAttrs : public BaseAttrsNode {
  int axis{0};
  int num_newaxis{1};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("axis", &axis);
    v->Visit("num_newaxis", &num_newaxis);
  }
  static constexpr const char* _type_key = "relay.attrs.ExpandDimsAttrs";
  using _type_parent = BaseAttrsNode;
};

struct ConcatenateAttrs : public BaseAttrsNode {
  int axis{0};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("axis", &axis);
  }
  static constexpr const char* _type_key = "relay.attrs.ConcatenateAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief transpose: undefined axes reverses them. */
struct TransposeAttrs : public BaseAttrsNode {
  Array<Integer> axes;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("axes", &axes);
  }
  static constexpr const char* _type_key = "relay.attrs.TransposeAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief reshape: newshape uses 0 (copy), -1 (infer), -2 (copy the rest), -3 (merge two), -4 (split one in two). */
struct ReshapeAttrs : public BaseAttrsNode {
  // No default (null until set): the printer then always writes it, newshape=[] included.
  Array<Integer> newshape{ObjectPtr<Object>(nullptr)};
  bool allowzero{false};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("newshape", &newshape);
    v->Visit("allowzero", &allowzero);
  }
  static constexpr const char* _type_key = "relay.attrs.ReshapeAttrs";
  using _type_parent = BaseAttrsNode;
};

struct ScatterElementsAttrs : public BaseAttrsNode {
  Integer axis{Integer(0)};
  std::string reduction{"update"};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("axis", &axis);
    v->Visit("reduction", &reduction);
  }
  static constexpr const char* _type_key = "relay.attrs.ScatterElementsAttrs";
  using _type_parent = BaseAttrsNode;
};

struct GatherAttrs : public BaseAttrsNode {
  Integer axis;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("axis", &axis);
  }
  static constexpr const char* _type_key = "relay.attrs.GatherAttrs";
  using _type_parent = BaseAttrsNode;
};

struct GatherNDAttrs : public BaseAttrsNode {
  Integer batch_dims{Integer(0)};
  Integer index_rank;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("batch_dims", &batch_dims);
    v->Visit("index_rank", &index_rank);
  }
  static constexpr const char* _type_key = "relay.attrs.GatherNDAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief take: undefined axis takes from the flattened input. */
struct TakeAttrs : public BaseAttrsNode {
  Integer batch_dims{Integer(0)};
  Integer axis;
  std::string mode{"clip"};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("batch_dims", &batch_dims);
    v->Visit("axis", &axis);
    v->Visit("mode", &mode);
  }
  static constexpr const char* _type_key = "relay.attrs.TakeAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief zeros/ones/full/broadcast_to: undefined shape is dynamic. */
struct InitOpAttrs : public BaseAttrsNode {
  Array<Integer> shape{ObjectPtr<Object>(nullptr)};
  DataType dtype;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("shape", &shape);
    v->Visit("dtype", &dtype);
  }
  static constexpr const char* _type_key = "relay.attrs.InitOpAttrs";
  using _type_parent = BaseAttrsNode;
};

struct ArangeAttrs : public BaseAttrsNode {
  Expr start;
  Expr stop;
  Expr step;
  DataType dtype;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("start", &start);
    v->Visit("stop", &stop);
    v->Visit("step", &step);
    v->Visit("dtype", &dtype);
  }
  static constexpr const char* _type_key = "relay.attrs.ArangeAttrs";
  using _type_parent = BaseAttrsNode;
};

struct StackAttrs : public BaseAttrsNode {
  Integer axis{Integer(0)};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("axis", &axis);
  }
  static constexpr const char* _type_key = "relay.attrs.StackAttrs";
  using _type_parent = BaseAttrsNode;
};

struct RepeatAttrs : public BaseAttrsNode {
  Integer repeats;
  Integer axis;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("repeats", &repeats);
    v->Visit("axis", &axis);
  }
  static constexpr const char* _type_key = "relay.attrs.RepeatAttrs";
  using _type_parent = BaseAttrsNode;
};

struct TileAttrs : public BaseAttrsNode {
  Array<Integer> reps;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("reps", &reps);
  }
  static constexpr const char* _type_key = "relay.attrs.TileAttrs";
  using _type_parent = BaseAttrsNode;
};

struct ReverseAttrs : public BaseAttrsNode {
  Integer axis;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("axis", &axis);
  }
  static constexpr const char* _type_key = "relay.attrs.ReverseAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief squeeze: undefined axis removes every axis of extent 1. */
struct SqueezeAttrs : public BaseAttrsNode {
  Array<Integer> axis{ObjectPtr<Object>(nullptr)};  // undefined: every axis of extent 1
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("axis", &axis);
  }
  static constexpr const char* _type_key = "relay.attrs.SqueezeAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief split: an Integer (sections) or an array of split points. */
struct SplitAttrs : public BaseAttrsNode {
  ObjectRef indices_or_sections;
  int axis{0};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("indices_or_sections", &indices_or_sections);
    v->Visit("axis", &axis);
  }
  static constexpr const char* _type_key = "relay.attrs.SplitAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief strided_slice: slice_mode "end" (end is exclusive) or "size" (end is a length, -1 to the end). */
struct StridedSliceAttrs : public BaseAttrsNode {
  Array<Integer> begin;
  Array<Integer> end;
  Array<Integer> strides;
  std::string slice_mode{"end"};
  Array<Integer> axes;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("begin", &begin);
    v->Visit("end", &end);
    v->Visit("strides", &strides);
    v->Visit("slice_mode", &slice_mode);
    v->Visit("axes", &axes);
  }
  static constexpr const char* _type_key = "relay.attrs.StridedSliceAttrs";
  using _type_parent = BaseAttrsNode;
};

struct SliceLikeAttrs : public BaseAttrsNode {
  Array<Integer> axes;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("axes", &axes);
  }
  static constexpr const char* _type_key = "relay.attrs.SliceLikeAttrs";
  using _type_parent = BaseAttrsNode;
};

struct LayoutTransformAttrs : public BaseAttrsNode {
  std::string src_layout;
  std::string dst_layout;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("src_layout", &src_layout);
    v->Visit("dst_layout", &dst_layout);
  }
  static constexpr const char* _type_key = "relay.attrs.LayoutTransformAttrs";
  using _type_parent = BaseAttrsNode;
};

struct ShapeOfAttrs : public BaseAttrsNode {
  DataType dtype;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("dtype", &dtype);
  }
  static constexpr const char* _type_key = "relay.attrs.ShapeOfAttrs";
  using _type_parent = BaseAttrsNode;
};

struct OneHotAttrs : public BaseAttrsNode {
  int depth{1};
  int axis{-1};
  DataType dtype;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("depth", &depth);
    v->Visit("axis", &axis);
    v->Visit("dtype", &dtype);
  }
  static constexpr const char* _type_key = "relay.attrs.OneHotAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief cumsum/cumprod: undefined axis scans the flattened input. */
struct ScanopAttrs : public BaseAttrsNode {
  Integer axis;
  DataType dtype;
  Bool exclusive{Bool(false)};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("axis", &axis);
    v->Visit("dtype", &dtype);
    v->Visit("exclusive", &exclusive);
  }
  static constexpr const char* _type_key = "relay.attrs.ScanopAttrs";
  using _type_parent = BaseAttrsNode;
};

struct EinsumAttrs : public BaseAttrsNode {
  std::string equation;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("equation", &equation);
  }
  static constexpr const char* _type_key = "relay.attrs.EinsumAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief topk: ret_type "both", "values" or "indices". */
struct TopKAttrs : public BaseAttrsNode {
  Integer k;
  int axis{-1};
  std::string ret_type{"both"};
  bool is_ascend{false};
  DataType dtype{DataType::Int(32)};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("k", &k);
    v->Visit("axis", &axis);
    v->Visit("ret_type", &ret_type);
    v->Visit("is_ascend", &is_ascend);
    v->Visit("dtype", &dtype);
  }
  static constexpr const char* _type_key = "relay.attrs.TopKAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief argsort and sort. */
struct ArgsortAttrs : public BaseAttrsNode {
  int axis{-1};
  bool is_ascend{true};
  DataType dtype{DataType::Int(32)};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("axis", &axis);
    v->Visit("is_ascend", &is_ascend);
    v->Visit("dtype", &dtype);
  }
  static constexpr const char* _type_key = "relay.attrs.ArgsortAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief reshape_like: data's axes [lhs_begin, lhs_end) take shape_like's [rhs_begin, rhs_end). */
struct ReshapeLikeAttrs : public BaseAttrsNode {
  int lhs_begin{0};
  Integer lhs_end;
  int rhs_begin{0};
  Integer rhs_end;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("lhs_begin", &lhs_begin);
    v->Visit("lhs_end", &lhs_end);
    v->Visit("rhs_begin", &rhs_begin);
    v->Visit("rhs_end", &rhs_end);
  }
  static constexpr const char* _type_key = "relay.attrs.ReshapeLikeAttrs";
  using _type_parent = BaseAttrsNode;
};

struct ReverseSequenceAttrs : public BaseAttrsNode {
  Integer seq_axis{1};
  Integer batch_axis{0};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("seq_axis", &seq_axis);
    v->Visit("batch_axis", &batch_axis);
  }
  static constexpr const char* _type_key = "relay.attrs.ReverseSequenceAttrs";
  using _type_parent = BaseAttrsNode;
};

struct SequenceMaskAttrs : public BaseAttrsNode {
  double mask_value{0.0};
  int axis{0};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("mask_value", &mask_value);
    v->Visit("axis", &axis);
  }
  static constexpr const char* _type_key = "relay.attrs.SequenceMaskAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief meshgrid: indexing "ij" (matrix) or "xy" (Cartesian: the first two axes swap). */
struct MeshgridAttrs : public BaseAttrsNode {
  std::string indexing{"ij"};
  void VisitAttrs(AttrVisitor* v) { v->Visit("indexing", &indexing); }
  static constexpr const char* _type_key = "relay.attrs.MeshgridAttrs";
  using _type_parent = BaseAttrsNode;
};

struct NdarraySizeAttrs : public BaseAttrsNode {
  DataType dtype;
  void VisitAttrs(AttrVisitor* v) { v->Visit("dtype", &dtype); }
  static constexpr const char* _type_key = "relay.attrs.NdarraySizeAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief trilu: keep the upper (or lower) triangle from diagonal k (an input). */
struct TriluAttrs : public BaseAttrsNode {
  bool upper{true};
  void VisitAttrs(AttrVisitor* v) { v->Visit("upper", &upper); }
  static constexpr const char* _type_key = "relay.attrs.TriluAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief matrix_set_diag: diagonals k1..k2 of the last two axes; alignment of super/sub diagonals. */
struct MatrixSetDiagAttrs : public BaseAttrsNode {
  int k1{0};
  int k2{0};
  bool super_diag_right_align{true};
  bool sub_diag_right_align{false};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("k1", &k1);
    v->Visit("k2", &k2);
    v->Visit("super_diag_right_align", &super_diag_right_align);
    v->Visit("sub_diag_right_align", &sub_diag_right_align);
  }
  static constexpr const char* _type_key = "relay.attrs.MatrixSetDiagAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief sparse_to_dense: the dense output's shape. */
struct SparseToDenseAttrs : public BaseAttrsNode {
  Array<Integer> output_shape;
  void VisitAttrs(AttrVisitor* v) { v->Visit("output_shape", &output_shape); }
  static constexpr const char* _type_key = "relay.attrs.SparseToDenseAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief scatter_nd: how updates combine with data ("update", "add", "mul", "min", "max"). */
struct ScatterNDAttrs : public BaseAttrsNode {
  std::string mode{"update"};
  void VisitAttrs(AttrVisitor* v) { v->Visit("mode", &mode); }
  static constexpr const char* _type_key = "relay.attrs.ScatterNDAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief sliding_window: windows of window_shape over the axes from axis on, every strides. */
struct SlidingWindowAttrs : public BaseAttrsNode {
  int axis{0};
  Array<Integer> window_shape;
  Array<Integer> strides;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("axis", &axis);
    v->Visit("window_shape", &window_shape);
    v->Visit("strides", &strides);
  }
  static constexpr const char* _type_key = "relay.attrs.SlidingWindowAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief unique: sorted output (else in order of first occurrence); whether counts are returned. */
struct UniqueAttrs : public BaseAttrsNode {
  bool sorted{true};
  bool return_counts{false};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("sorted", &sorted);
    v->Visit("return_counts", &return_counts);
  }
  static constexpr const char* _type_key = "relay.attrs.UniqueAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief stft: frame length n_fft, hop, window length; normalised by sqrt(n_fft); one-sided spectrum. */
struct StftAttrs : public BaseAttrsNode {
  int n_fft{-1};
  int hop_length{-1};
  int win_length{-1};
  bool normalized{false};
  bool onesided{true};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("n_fft", &n_fft);
    v->Visit("hop_length", &hop_length);
    v->Visit("win_length", &win_length);
    v->Visit("normalized", &normalized);
    v->Visit("onesided", &onesided);
  }
  static constexpr const char* _type_key = "relay.attrs.StftAttrs";
  using _type_parent = BaseAttrsNode;
};

/*! \brief searchsorted: which end of a run of equal values, and the index dtype. */
struct SearchSortedAttrs : public BaseAttrsNode {
  bool right{false};
  DataType dtype;
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("right", &right);
    v->Visit("dtype", &dtype);
  }
  static constexpr const char* _type_key = "relay.attrs.SearchSortedAttrs";
  using _type_parent = BaseAttrsNode;
};

}  // namespace relay
}  // namespace tvm
#endif  // TVM_RELAY_ATTRS_TRANSFORM_H_
