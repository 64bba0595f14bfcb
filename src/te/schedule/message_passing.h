/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/te/schedule/message_passing.h
 * \brief Propagating facts through a stage's iteration-variable relations
 *  (split, fuse, rebase, singleton), downwards (roots to leaves) or upwards
 *  (leaves to roots).
 *
 *   down, ranges:  i in [0, 10), split by 4   =>  i.outer in [0, 3), i.inner in [0, 4)
 *   up, values:    i.outer, i.inner            =>  i = i.outer * 4 + i.inner
 *   up, sets:      i.outer = x, i.inner in [0, 4) => i in [x * 4, x * 4 + 3]
 */
#ifndef TVM_TE_SCHEDULE_MESSAGE_PASSING_H_
#define TVM_TE_SCHEDULE_MESSAGE_PASSING_H_

#include <tvm/arith/analyzer.h>
#include <tvm/arith/int_set.h>
#include <tvm/te/schedule.h>

#include <unordered_map>
#include <vector>

#include "../operation/op_utils.h"

namespace tvm {
namespace te {

using IterVarSetMap = std::unordered_map<IterVar, arith::IntSet, ObjectPtrHash, ObjectPtrEqual>;
using IterVarIntMap = std::unordered_map<IterVar, int, ObjectPtrHash, ObjectPtrEqual>;

/*!
 * \brief The ranges of every derived variable from those of the roots (and
 *  the ranges of the thread axes leaves are bound to).
 * \param allow_missing Skip relations whose inputs have no range.
 * \throws Error naming the stage when a thread axis gets two different extents.
 */
void PassDownDomain(const Stage& stage, IterVarRangeMap* p_state, arith::Analyzer* analyzer,
                    bool allow_missing = false);

/*! \brief The value of each root (and intermediate) variable from the values of the leaves. */
void PassUpIndex(const Stage& stage, const IterVarRangeMap& dom_map, IterVarExprMap* p_state,
                 bool allow_missing = false);

/*! \brief The value of each leaf from the values of the roots. */
void PassDownIndex(const Stage& stage, const IterVarRangeMap& dom_map, IterVarExprMap* p_state,
                   bool allow_missing = false);

/*! \brief The set each root variable covers, given the sets the leaves cover. */
void PassUpDomain(const Stage& stage, const IterVarRangeMap& dom_map, IterVarSetMap* p_state);

/*! \brief OR bit flags from leaves to the variables they derive from. */
void PassUpBitMaskOr(const Stage& stage, IterVarIntMap* p_state, bool allow_missing = false);
/*! \brief OR bit flags from roots to the variables derived from them. */
void PassDownBitMaskOr(const Stage& stage, IterVarIntMap* p_state, bool allow_missing = false);

/*!
 * \brief The conditions under which the loop point given by value_map lies
 *  inside the stage's domain: needed where a split does not divide its
 *  extent, or where the inferred range exceeds the root's declared domain
 *  (unless skip_ivar_domain). Conditions that can be proved are left out.
 */
std::vector<PrimExpr> MakeBoundCheck(const Stage& stage, const IterVarRangeMap& dom_map,
                                     const IterVarExprMap& value_map, bool skip_ivar_domain,
                                     const IterVarSet& skip_iter);

}  // namespace te
}  // namespace tvm
#endif  // TVM_TE_SCHEDULE_MESSAGE_PASSING_H_
