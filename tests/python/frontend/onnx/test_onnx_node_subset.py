# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""A curated subset of the ONNX backend node tests (Debian's libonnx-testdata), run through
from_onnx and compared with the test's expected outputs (rtol 1e-3, atol 1e-4). The whole set
runs with tests/benchmarks/onnx_node_tests.py."""
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "benchmarks"))
import onnx_node_tests  # noqa: E402

CASES = [
    "test_conv_with_strides_and_asymmetric_padding", "test_convtranspose_output_shape", "test_convtranspose_3d",
    "test_gemm_all_attributes", "test_matmul_4d", "test_batchnorm_epsilon", "test_layer_normalization_4d_axis1",
    "test_layer_normalization_3d_axis_negative_1_epsilon_expanded", "test_averagepool_2d_same_lower",
    "test_maxpool_2d_ceil", "test_maxpool_with_argmax_2d_precomputed_strides", "test_globalaveragepool",
    "test_reshape_reordered_all_dims", "test_transpose_all_permutations_3", "test_concat_3d_axis_negative_2",
    "test_split_variable_parts_2d",
    "test_slice_neg_steps", "test_gather_negative_indices", "test_gather_elements_negative_indices",
    "test_gathernd_example_int32_batch_dim1", "test_scatter_elements_with_duplicate_indices",
    "test_scatternd_add", "test_squeeze_negative_axes", "test_unsqueeze_unsorted_axes",
    "test_resize_downsample_scales_cubic_A_n0p5_exclude_outside", "test_resize_upsample_sizes_nearest_ceil_half_pixel",
    "test_resize_tf_crop_and_resize", "test_softmax_default_axis", "test_logsoftmax_large_number_expanded",
    "test_reduce_log_sum_exp_keepdims_random", "test_reduce_sum_empty_axes_input_noop_example",
    "test_cast_FLOAT_to_FLOAT16", "test_cast_BFLOAT16_to_FLOAT", "test_constantofshape_int_zeros", "test_shape_start_negative_1",
    "test_expand_dim_changed", "test_where_long_example", "test_edge_pad", "test_clip_default_int8_inbounds",
    "test_erf", "test_pow_types_int32_float32", "test_sqrt_example", "test_einsum_batch_diagonal", "test_top_k_smallest",
    "test_roialign_aligned_true", "test_quantizelinear_axis", "test_dequantizelinear", "test_gridsample_bicubic",
    "test_gridsample_reflection_padding", "test_dft_inverse", "test_stft_with_window", "test_lstm_with_peepholes",
    "test_gru_with_initial_bias", "test_rnn_seq_length", "test_sce_NCd1d2d3_sum_weight_high_ii_expanded",
    "test_nllloss_NCd1d2d3d4d5_mean_weight", "test_hardmax_one_hot", "test_mod_mixed_sign_int64", "test_tril_neg",
    "test_cumsum_1d_reverse_exclusive", "test_onehot_negative_indices", "test_maxunpool_export_with_output_shape",
    # run on the VM: shape tensors given at run time, data-dependent output counts
    "test_reshape_negative_extended_dims", "test_expand_dim_unchanged", "test_tile", "test_range_float_type_positive_delta",
    "test_slice_default_axes", "test_nonmaxsuppression_center_point_box_format",
    "test_nonmaxsuppression_suppress_by_IOU_and_scores", "test_nonmaxsuppression_two_batches",
    "test_unique_sorted_with_axis_3d", "test_unique_not_sorted_without_axis", "test_nonzero_example",
    "test_compress_default_axis",
]


@pytest.mark.skipif(not os.path.isdir(onnx_node_tests.ROOT), reason="libonnx-testdata is not installed")
@pytest.mark.parametrize("case", CASES)
def test_node(case):
    name, status, cause = onnx_node_tests.run_case(case)[:3]
    assert status == "pass", "%s: %s %s" % (name, status, cause)
