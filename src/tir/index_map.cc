/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/tir/index_map.cc
 * \brief IndexMap and the inverse of affine index maps.
 *
 * Inversion works on mixed-radix digits. After simplification (with every
 * initial index bound to its range), an affine final index is a sum of terms
 *   floormod(floordiv(x, lower), extent) * scale
 * each one "digit" of an initial index x. The map is a bijection of boxes when
 *  - in every final index, the digits sorted by scale have scales 1, e0, e0*e1, ...
 *    (no gaps, no overlaps), so the final index ranges over [0, product), and
 *  - for every initial index, its digits sorted by lower have lowers 1, e0,
 *    e0*e1, ... with the last one ending exactly at the index's extent (no padding).
 * The inverse then reads each digit back out of its final index,
 * floormod(floordiv(y, scale), extent), and sums digit * lower.
 */
#include <tvm/arith/analyzer.h>
#include <tvm/arith/int_set.h>
#include <tvm/ir/repr_printer.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/index_map.h>
#include <tvm/tir/op.h>
#include <tvm/tir/stmt_functor.h>

#include <algorithm>
#include <map>
#include <optional>
#include <sstream>
#include <unordered_set>

namespace tvm {
namespace tir {

namespace {

/*! \brief floormod(floordiv(var, lower), extent) * scale */
struct Digit {
  const VarNode* var;
  int64_t lower;
  int64_t extent;
  int64_t scale;
};

std::optional<int64_t> ConstValue(const PrimExpr& e) {
  if (const auto* imm = e.as<IntImmNode>()) return imm->value;
  return std::nullopt;
}

// floordiv(x, lower) or floormod(.., extent) chains of one variable, scale 1.
std::optional<Digit> ParseDigitCore(const PrimExpr& e, const std::unordered_map<const VarNode*, int64_t>& extents) {
  if (const auto* v = e.as<VarNode>()) {
    auto it = extents.find(v);
    if (it == extents.end()) return std::nullopt;
    return Digit{v, 1, it->second, 1};
  }
  if (const auto* d = e.as<FloorDivNode>()) {
    auto c = ConstValue(d->b);
    auto inner = ParseDigitCore(d->a, extents);
    if (!c || *c <= 0 || !inner) return std::nullopt;
    inner->lower *= *c;
    inner->extent = (inner->extent + *c - 1) / *c;
    return inner;
  }
  if (const auto* m = e.as<FloorModNode>()) {
    auto c = ConstValue(m->b);
    auto inner = ParseDigitCore(m->a, extents);
    if (!c || *c <= 0 || !inner) return std::nullopt;
    // A modulus that does not divide the digit's extent wraps unevenly: not a digit.
    if (*c < inner->extent && inner->extent % *c != 0) return std::nullopt;
    // A larger modulus is a digit with room to spare: padding, which the tiling check reports.
    inner->extent = *c;
    return inner;
  }
  return std::nullopt;
}

// A sum of digits, each optionally times a positive constant; nullopt if e is not one.
std::optional<std::vector<Digit>> ParseDigits(const PrimExpr& e,
                                              const std::unordered_map<const VarNode*, int64_t>& extents) {
  if (const auto* add = e.as<AddNode>()) {
    auto a = ParseDigits(add->a, extents);
    auto b = ParseDigits(add->b, extents);
    if (!a || !b) return std::nullopt;
    a->insert(a->end(), b->begin(), b->end());
    return a;
  }
  if (auto c = ConstValue(e)) {
    if (*c == 0) return std::vector<Digit>{};
    return std::nullopt;  // an offset leaves [0, extent)
  }
  PrimExpr core = e;
  int64_t scale = 1;
  if (const auto* mul = e.as<MulNode>()) {
    if (auto c = ConstValue(mul->b)) {
      core = mul->a, scale = *c;
    } else if (auto c2 = ConstValue(mul->a)) {
      core = mul->b, scale = *c2;
    }
    if (scale <= 0) return std::nullopt;
  }
  auto digit = ParseDigitCore(core, extents);
  if (!digit) return std::nullopt;
  digit->scale = scale;
  if (digit->extent == 1) return std::vector<Digit>{};  // always 0
  return std::vector<Digit>{*digit};
}

struct Decomposition {
  std::vector<std::vector<Digit>> final_digits;  // per final index, by increasing scale
  std::vector<int64_t> final_extents;
  std::string why_not;  // empty when the map is a bijection of boxes
};

Decomposition Decompose(const IndexMapNode* map, const Array<PrimExpr>& shape) {
  Decomposition out;
  std::ostringstream why;
  if (shape.size() != map->initial_indices.size()) {
    why << "the map takes " << map->initial_indices.size() << " indices but the shape " << shape << " has "
        << shape.size();
    out.why_not = why.str();
    return out;
  }
  std::unordered_map<const VarNode*, int64_t> extents;
  arith::Analyzer analyzer;
  for (size_t i = 0; i < shape.size(); ++i) {
    auto c = ConstValue(shape[i]);
    if (!c || *c <= 0) {
      why << "extent " << shape[i] << " of index " << map->initial_indices[i] << " is not a positive constant";
      out.why_not = why.str();
      return out;
    }
    extents[map->initial_indices[i].get()] = *c;
  }
  std::map<const VarNode*, std::vector<Digit>> per_var;
  for (const PrimExpr& index : map->final_indices) {
    // Simplified without the ranges, which would fold c // 4 to 0 for c < 3 and hide
    // the padding that c // 4, c % 4 asks for.
    PrimExpr simplified = analyzer.Simplify(index);
    auto digits = ParseDigits(simplified, extents);
    if (!digits) {
      why << "final index " << index << " is not a sum of splits of the initial indices";
      out.why_not = why.str();
      return out;
    }
    std::sort(digits->begin(), digits->end(), [](const Digit& a, const Digit& b) { return a.scale < b.scale; });
    int64_t expected = 1;
    for (const Digit& d : *digits) {
      if (d.scale != expected) {
        why << "final index " << index << " does not cover [0, extent) once: its parts overlap or leave gaps";
        out.why_not = why.str();
        return out;
      }
      expected *= d.extent;
      per_var[d.var].push_back(d);
    }
    out.final_extents.push_back(expected);
    out.final_digits.push_back(*digits);
  }
  for (const Var& v : map->initial_indices) {
    std::vector<Digit>& digits = per_var[v.get()];
    std::sort(digits.begin(), digits.end(), [](const Digit& a, const Digit& b) { return a.lower < b.lower; });
    int64_t expected = 1;
    for (const Digit& d : digits) {
      if (d.lower != expected) {
        why << "the parts of index " << v << " in the final indices overlap or leave gaps";
        out.why_not = why.str();
        return out;
      }
      expected *= d.extent;
    }
    if (expected != extents[v.get()]) {
      why << "index " << v << " of extent " << extents[v.get()] << " is mapped onto " << expected
          << " positions (the transformation would need padding)";
      out.why_not = why.str();
      return out;
    }
  }
  return out;
}

}  // namespace

IndexMap::IndexMap(Array<Var> initial_indices, Array<PrimExpr> final_indices, ObjectRef inverse_index_map) {
  std::unordered_set<const VarNode*> known;
  for (const Var& v : initial_indices) known.insert(v.get());
  for (const PrimExpr& e : final_indices) {
    TVM_CHECK(e.defined(), "ValueError") << "IndexMap: a final index is undefined";
    PostOrderVisit(e, [&](const ObjectRef& node) {
      if (const auto* v = node.as<VarNode>()) {
        TVM_CHECK(known.count(v), "ValueError")
            << "IndexMap: final index " << e << " uses " << v->name_hint << ", which is not an initial index "
            << initial_indices;
      }
    });
  }
  if (inverse_index_map.defined()) {
    TVM_CHECK(inverse_index_map->IsInstance<IndexMapNode>(), "TypeError")
        << "IndexMap: the inverse must be an IndexMap, not " << inverse_index_map->GetTypeKey();
  }
  auto n = make_object<IndexMapNode>();
  n->initial_indices = std::move(initial_indices);
  n->final_indices = std::move(final_indices);
  n->inverse_index_map = std::move(inverse_index_map);
  data_ = std::move(n);
}

Array<PrimExpr> IndexMapNode::MapIndices(const Array<PrimExpr>& indices) const {
  TVM_CHECK(indices.size() == initial_indices.size(), "ValueError")
      << "IndexMap " << ToString() << " takes " << initial_indices.size() << " indices, given "
      << indices.size() << ": " << indices;
  std::unordered_map<const VarNode*, PrimExpr> vmap;
  for (size_t i = 0; i < indices.size(); ++i) {
    PrimExpr value = indices[i];
    if (value.dtype() != initial_indices[i].dtype()) value = cast(initial_indices[i].dtype(), value);
    vmap[initial_indices[i].get()] = value;
  }
  // The results take the indices' type (int64 indices give int64 results).
  std::optional<DataType> result_type;
  if (!indices.empty()) {
    result_type = indices[0].dtype();
    for (const PrimExpr& e : indices) {
      if (e.dtype() != *result_type) result_type = std::nullopt;
      if (!result_type) break;
    }
  }
  arith::Analyzer analyzer;
  Array<PrimExpr> out;
  for (const PrimExpr& e : final_indices) {
    PrimExpr mapped = Substitute(e, vmap);
    if (result_type && mapped.dtype() != *result_type && mapped.dtype().is_int()) mapped = cast(*result_type, mapped);
    out.push_back(analyzer.Simplify(mapped));
  }
  return out;
}

Array<PrimExpr> IndexMapNode::MapShape(const Array<PrimExpr>& shape) const {
  TVM_CHECK(shape.size() == initial_indices.size(), "ValueError")
      << "IndexMap " << ToString() << " takes " << initial_indices.size() << " indices, given a shape of "
      << shape.size() << ": " << shape;
  Decomposition d = Decompose(this, shape);
  Array<PrimExpr> out;
  // Extents take the shape's type (an int64 shape maps to an int64 shape).
  auto typed = [&](PrimExpr e) {
    if (!shape.empty() && e.dtype() != shape[0].dtype() && e.dtype().is_int()) e = cast(shape[0].dtype(), e);
    return e;
  };
  if (d.why_not.empty()) {
    for (size_t i = 0; i < final_indices.size(); ++i) {
      out.push_back(typed(make_const(final_indices[i].dtype(), d.final_extents[i])));
    }
    arith::Analyzer analyzer;
    for (size_t i = 0; i < out.size(); ++i) out.Set(i, analyzer.Simplify(out[i]));
    return out;
  }
  // Not a box bijection: the extent of the values each final index takes.
  std::unordered_map<const VarNode*, arith::IntSet> dom;
  for (size_t i = 0; i < shape.size(); ++i) {
    dom[initial_indices[i].get()] =
        arith::IntSet::FromRange(Range::FromMinExtent(make_const(shape[i].dtype(), 0), shape[i]));
  }
  arith::Analyzer analyzer;
  for (const PrimExpr& e : final_indices) {
    arith::IntSet s = arith::EvalSet(e, dom);
    TVM_CHECK(s.HasLowerBound() && s.HasUpperBound(), "ValueError")
        << "IndexMap " << ToString() << ": final index " << e << " is unbounded over the shape " << shape;
    out.push_back(analyzer.Simplify(typed(s.max() - s.min() + 1)));
  }
  return out;
}

std::string IndexMapNode::ToString() const {
  std::ostringstream os;
  os << "(";
  for (size_t i = 0; i < initial_indices.size(); ++i) os << (i ? ", " : "") << initial_indices[i];
  os << ") -> [";
  for (size_t i = 0; i < final_indices.size(); ++i) os << (i ? ", " : "") << final_indices[i];
  os << "]";
  return os.str();
}

bool IndexMap::IsBijective(const Array<PrimExpr>& shape, std::string* why) const {
  Decomposition d = Decompose(get() ? operator->() : nullptr, shape);
  if (why) *why = d.why_not;
  return d.why_not.empty();
}

IndexMap IndexMap::Inverse(const Array<PrimExpr>& shape) const {
  const IndexMapNode* self = operator->();
  if (self->inverse_index_map.defined()) return Downcast<IndexMap>(self->inverse_index_map);
  Decomposition d = Decompose(self, shape);
  TVM_CHECK(d.why_not.empty(), "ValueError")
      << "IndexMap " << self->ToString() << " has no inverse over the shape " << shape << ": " << d.why_not;
  Array<Var> inverse_inputs;
  arith::Analyzer analyzer;
  for (size_t j = 0; j < self->final_indices.size(); ++j) {
    DataType t = self->final_indices[j].dtype();
    Var y("axis" + std::to_string(j), t);
    inverse_inputs.push_back(y);
    analyzer.Bind(y, Range::FromMinExtent(make_const(t, 0), make_const(t, d.final_extents[j])));
  }
  std::unordered_map<const VarNode*, PrimExpr> value;
  for (size_t j = 0; j < d.final_digits.size(); ++j) {
    const Var& y = inverse_inputs[j];
    for (const Digit& digit : d.final_digits[j]) {
      PrimExpr part = y;
      if (digit.scale != 1) part = floordiv(part, make_const(y.dtype(), digit.scale));
      part = floormod(part, make_const(y.dtype(), digit.extent));
      DataType vt = digit.var->dtype;
      if (part.dtype() != vt) part = cast(vt, part);
      if (digit.lower != 1) part = part * make_const(vt, digit.lower);
      auto it = value.find(digit.var);
      value[digit.var] = it == value.end() ? part : it->second + part;
    }
  }
  Array<PrimExpr> inverse_outputs;
  for (const Var& v : self->initial_indices) {
    auto it = value.find(v.get());
    inverse_outputs.push_back(it == value.end() ? make_const(v.dtype(), 0) : analyzer.Simplify(it->second));
  }
  return IndexMap(inverse_inputs, inverse_outputs);
}

bool IndexMap::IsEquivalentTo(const IndexMap& other) const {
  const IndexMapNode* a = operator->();
  const IndexMapNode* b = other.operator->();
  if (a == b) return true;
  if (a->initial_indices.size() != b->initial_indices.size() || a->final_indices.size() != b->final_indices.size()) {
    return false;
  }
  Array<PrimExpr> inputs;
  for (const Var& v : a->initial_indices) inputs.push_back(v);
  for (size_t i = 0; i < a->initial_indices.size(); ++i) {
    if (a->initial_indices[i].dtype() != b->initial_indices[i].dtype()) return false;
  }
  Array<PrimExpr> mapped = b->MapIndices(inputs);
  arith::Analyzer analyzer;
  for (size_t i = 0; i < mapped.size(); ++i) {
    if (!analyzer.CanProveEqual(a->final_indices[i], mapped[i])) return false;
  }
  return true;
}

TVM_REGISTER_NODE_TYPE(IndexMapNode);

TVM_REGISTER_GLOBAL("tir.IndexMap")
    .set_body_typed([](Array<Var> initial_indices, Array<PrimExpr> final_indices, ObjectRef inverse_index_map) {
      return IndexMap(initial_indices, final_indices, inverse_index_map);
    });
TVM_REGISTER_GLOBAL("tir.IndexMapMapIndices").set_body_typed([](IndexMap map, Array<PrimExpr> indices) {
  return map->MapIndices(indices);
});
TVM_REGISTER_GLOBAL("tir.IndexMapMapShape").set_body_typed([](IndexMap map, Array<PrimExpr> shape) {
  return map->MapShape(shape);
});
TVM_REGISTER_GLOBAL("tir.IndexMapInverse").set_body_typed([](IndexMap map, Array<PrimExpr> shape) {
  return map.Inverse(shape);
});
TVM_REGISTER_GLOBAL("tir.IndexMapIsEquivalentTo").set_body_typed([](IndexMap map, IndexMap other) {
  return map.IsEquivalentTo(other);
});
TVM_REGISTER_GLOBAL("tir.IndexMapToString").set_body_typed([](IndexMap map) { return String(map->ToString()); });

}  // namespace tir
}  // namespace tvm
