/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file match_exhaustion.cc
 * \brief UnmatchedCases: the values a match does not handle, as patterns.
 *
 * The values not yet handled are kept as a list of disjoint patterns,
 * starting with one wildcard. Each clause's pattern p is taken away from each
 * of them (u \ p): a wildcard u is first split into one pattern per
 * constructor of p's type (or a tuple of wildcards), and for patterns of one
 * constructor, u \ p is the union over the fields i of
 *   C(u1 & p1, ..., u(i-1) & p(i-1), ui \ pi, u(i+1), ..., un),
 * which are disjoint. What is left after the last clause is the answer:
 *   match (%l) { Cons(_, Nil) => ..., Nil => ... }   leaves   [Cons(_, Cons(_, _))]
 * Recursion follows the nesting of the patterns as written, not the program.
 */
#include <tvm/ir/module.h>
#include <tvm/relay/adt.h>
#include <tvm/relay/analysis.h>
#include <tvm/runtime/registry.h>

#include <optional>
#include <string>
#include <vector>

namespace tvm {
namespace relay {

namespace {

bool MatchesAnything(const Pattern& p) { return p.as<PatternWildcardNode>() || p.as<PatternVarNode>(); }

class MatchExhaustion {
 public:
  explicit MatchExhaustion(IRModule mod) : mod_(std::move(mod)) {}

  Array<Pattern> Unmatched(const Match& match) {
    std::vector<Pattern> left{PatternWildcard::Make()};
    for (const Clause& clause : match->clauses) {
      std::vector<Pattern> next;
      for (const Pattern& u : left) {
        for (Pattern& d : Subtract(u, clause->lhs)) next.push_back(std::move(d));
      }
      left = std::move(next);
      if (left.empty()) break;
    }
    return Array<Pattern>(left.begin(), left.end());
  }

  /*! \brief The constructor whose type the module does not define, if one was met. */
  const std::string& missing_type() const { return missing_type_; }

 private:
  // The constructors of c's type, from the module; c alone if the module does not know the type.
  Array<Constructor> Siblings(const Constructor& c) {
    const std::string type_name = c->belong_to->name_hint;
    if (mod_.defined() && mod_->ContainGlobalTypeVar(type_name)) {
      if (const auto* td = mod_->LookupTypeDef(mod_->GetGlobalTypeVar(type_name)).as<TypeDataNode>()) {
        return td->constructors;
      }
    }
    if (missing_type_.empty()) missing_type_ = "constructor " + std::string(c->name_hint) + " of type " + type_name;
    return {c};
  }

  static Array<Pattern> Wildcards(size_t n) {
    Array<Pattern> out;
    for (size_t i = 0; i < n; ++i) out.push_back(PatternWildcard::Make());
    return out;
  }

  // a & b, or nullopt when no value matches both.
  std::optional<Pattern> Intersect(const Pattern& a, const Pattern& b) {
    if (MatchesAnything(a)) return MatchesAnything(b) ? Pattern(PatternWildcard::Make()) : b;
    if (MatchesAnything(b)) return a;
    if (const auto* ca = a.as<PatternConstructorNode>()) {
      const auto* cb = b.as<PatternConstructorNode>();
      if (cb == nullptr || !ca->constructor.same_as(cb->constructor) || ca->patterns.size() != cb->patterns.size()) {
        return std::nullopt;
      }
      Array<Pattern> fields;
      for (size_t i = 0; i < ca->patterns.size(); ++i) {
        auto f = Intersect(ca->patterns[i], cb->patterns[i]);
        if (!f) return std::nullopt;
        fields.push_back(*f);
      }
      return Pattern(PatternConstructor(ca->constructor, fields));
    }
    const auto* ta = a.as<PatternTupleNode>();
    const auto* tb = b.as<PatternTupleNode>();
    if (ta == nullptr || tb == nullptr || ta->patterns.size() != tb->patterns.size()) return std::nullopt;
    Array<Pattern> fields;
    for (size_t i = 0; i < ta->patterns.size(); ++i) {
      auto f = Intersect(ta->patterns[i], tb->patterns[i]);
      if (!f) return std::nullopt;
      fields.push_back(*f);
    }
    return Pattern(PatternTuple(fields));
  }

  // u \ p as disjoint patterns (u holds no variables: it is built here).
  std::vector<Pattern> Subtract(const Pattern& u, const Pattern& p) {
    if (MatchesAnything(p)) return {};
    if (MatchesAnything(u)) {
      std::vector<Pattern> out;
      if (const auto* pc = p.as<PatternConstructorNode>()) {
        for (const Constructor& k : Siblings(pc->constructor)) {
          for (Pattern& d : Subtract(PatternConstructor(k, Wildcards(k->inputs.size())), p)) out.push_back(std::move(d));
        }
      } else if (const auto* pt = p.as<PatternTupleNode>()) {
        out = Subtract(PatternTuple(Wildcards(pt->patterns.size())), p);
      }
      return out;
    }
    if (const auto* uc = u.as<PatternConstructorNode>()) {
      const auto* pc = p.as<PatternConstructorNode>();
      if (pc == nullptr || !uc->constructor.same_as(pc->constructor) || uc->patterns.size() != pc->patterns.size()) {
        return {u};
      }
      Constructor k = uc->constructor;
      return Fieldwise(uc->patterns, pc->patterns, [k](Array<Pattern> f) { return Pattern(PatternConstructor(k, f)); });
    }
    const auto* ut = u.as<PatternTupleNode>();
    const auto* pt = p.as<PatternTupleNode>();
    if (ut == nullptr || pt == nullptr || ut->patterns.size() != pt->patterns.size()) return {u};
    return Fieldwise(ut->patterns, pt->patterns, [](Array<Pattern> f) { return Pattern(PatternTuple(f)); });
  }

  template <typename Make>
  std::vector<Pattern> Fieldwise(const Array<Pattern>& us, const Array<Pattern>& ps, const Make& make) {
    std::vector<Pattern> out;
    Array<Pattern> prefix;  // u1 & p1, ..., u(i-1) & p(i-1)
    for (size_t i = 0; i < us.size(); ++i) {
      for (const Pattern& d : Subtract(us[i], ps[i])) {
        Array<Pattern> fields = prefix;
        fields.push_back(d);
        for (size_t j = i + 1; j < us.size(); ++j) fields.push_back(us[j]);
        out.push_back(make(fields));
      }
      auto both = Intersect(us[i], ps[i]);
      if (!both) break;  // no value is in u and p: u \ p is u, all said by the terms so far
      prefix.push_back(*both);
    }
    return out;
  }

  IRModule mod_;
  std::string missing_type_;
};

}  // namespace

Array<Pattern> UnmatchedCases(const Match& match, const IRModule& mod, bool* types_known) {
  TVM_CHECK(match.defined(), "ValueError") << "unmatched_cases: the match is None";
  MatchExhaustion m(mod);
  Array<Pattern> left = m.Unmatched(match);
  if (types_known != nullptr) {
    *types_known = m.missing_type().empty();
  } else {
    TVM_CHECK(m.missing_type().empty(), "ValueError")
        << "unmatched_cases: the module does not define the type of " << m.missing_type()
        << "; pass the module that defines it";
  }
  return left;
}

TVM_REGISTER_GLOBAL("relay.analysis.unmatched_cases").set_body_typed([](Match match, std::optional<IRModule> mod) {
  return UnmatchedCases(match, mod.value_or(IRModule()));
});

}  // namespace relay
}  // namespace tvm
