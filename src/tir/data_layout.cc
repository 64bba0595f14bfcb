/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// tir::Layout: layout strings such as "NCHW16c" (see the header).
#include <tvm/ir/repr_printer.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/data_layout.h>

#include <algorithm>
#include <cctype>

namespace tvm {
namespace tir {

std::optional<Layout> Layout::Parse(const std::string& name) {
  if (name.empty()) return std::nullopt;
  std::string axes;
  Array<Integer> factors;
  int64_t factor = 0;
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    if (std::isdigit(u)) {
      if (factor > (int64_t{1} << 40)) return std::nullopt;
      factor = factor * 10 + (c - '0');
    } else if (std::isupper(u) && factor == 0) {
      axes += c;
      factors.push_back(Integer(0));
    } else if (std::islower(u) && factor > 0) {
      axes += c;
      factors.push_back(Integer(factor));
      factor = 0;
    } else {
      return std::nullopt;
    }
  }
  if (factor != 0) return std::nullopt;
  for (char c : axes) {
    if (std::count(axes.begin(), axes.end(), c) != 1) return std::nullopt;
    if (std::islower(static_cast<unsigned char>(c)) &&
        axes.find(static_cast<char>(std::toupper(static_cast<unsigned char>(c)))) == std::string::npos) {
      return std::nullopt;
    }
  }
  auto n = make_object<LayoutNode>();
  n->name = name;
  n->axes = axes;
  n->factors = std::move(factors);
  return Layout(ObjectPtr<Object>(std::move(n)));
}

Layout::Layout(const std::string& name) {
  if (name.empty()) return;
  auto parsed = Parse(name);
  TVM_CHECK(parsed.has_value(), "ValueError")
      << "layout \"" << name << "\" is malformed: upper-case letters name whole axes, a factor and a "
      << "lower-case letter a sub-axis of an axis the layout has (\"NCHW16c\"), each axis once";
  data_ = parsed->data_;
}

int LayoutNode::IndexOf(char letter) const {
  std::string a = axes;
  auto pos = a.find(letter);
  return pos == std::string::npos ? -1 : static_cast<int>(pos);
}

int64_t LayoutNode::FactorOf(char axis) const {
  int i = IndexOf(static_cast<char>(std::tolower(static_cast<unsigned char>(axis))));
  return i < 0 ? -1 : factors[i]->value;
}

TVM_REGISTER_NODE_TYPE(LayoutNode);

TVM_REGISTER_GLOBAL("tir.Layout").set_body_typed([](std::string name) { return Layout(name); });
TVM_REGISTER_GLOBAL("tir.LayoutIndexOf").set_body_typed([](Layout layout, std::string axis) {
  TVM_CHECK(axis.size() == 1, "ValueError") << "layout " << layout->name << ": an axis is one letter, got \"" << axis
                                            << "\"";
  return layout->IndexOf(axis[0]);
});
TVM_REGISTER_GLOBAL("tir.LayoutFactorOf").set_body_typed([](Layout layout, std::string axis) {
  TVM_CHECK(axis.size() == 1, "ValueError") << "layout " << layout->name << ": an axis is one letter, got \"" << axis
                                            << "\"";
  return layout->FactorOf(axis[0]);
});

[[maybe_unused]] static const int kLayoutPrinter = ReprPrinter::Register<LayoutNode>(
    [](const ObjectRef& node, ReprPrinter* p) { p->stream << "Layout(" << static_cast<const LayoutNode*>(node.get())->name << ")"; });

}  // namespace tir
}  // namespace tvm
