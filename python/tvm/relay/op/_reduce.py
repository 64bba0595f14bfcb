# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Computes and schedules of the reductions (sum, mean, max, argmax, variance, ...).

They are registered from C++ (src/relay/op/tensor/reduce_compute.cc), so a program with no
Python interpreter compiles them too: Relay's reduce attributes (axis, keepdims, exclude)
become the explicit, non-negative axis list TOPI takes, and the schedule is the target's
reduction schedule (topi.x86.schedule_reduce on "cpu" targets, topi.generic's otherwise),
the one relay.op.strategy.schedule_reduce gives.
"""
