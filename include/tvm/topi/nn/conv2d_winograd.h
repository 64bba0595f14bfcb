/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/topi/nn/conv2d_winograd.h
 * \brief Winograd convolution F(m x m, 3 x 3) for stride-1 3x3 convolutions (Lavin & Gray):
 *  each m x m output tile is A^T [ (G g G^T) .* (B^T d B) ] A of the (m + 2) x (m + 2) input
 *  tile d, so the (m + 2)^2 element-wise products, summed over the input channels, become
 *  (m + 2)^2 independent GEMMs with 9 m^2 / (m + 2)^2 times fewer multiplications than the
 *  direct convolution (2.25x for m = 2, 4x for m = 4).
 *
 *  The weight transform U = G g G^T is a separate operator so that FoldConstant computes it once
 *  for constant weights (relay: nn.contrib_conv2d_winograd_weight_transform, then
 *  nn.contrib_conv2d_winograd_without_weight_transform).
 */
#ifndef TVM_TOPI_NN_CONV2D_WINOGRAD_H_
#define TVM_TOPI_NN_CONV2D_WINOGRAD_H_

#include <tvm/te/tensor.h>

#include <string>
#include <vector>

namespace tvm {
namespace topi {
namespace nn {

/*! \brief The transform matrices of F(m x m, 3 x 3), alpha = m + 2 (row-major). */
struct WinogradMatrices {
  int m;
  int alpha;
  std::vector<double> at;  // A^T: m x alpha (inverse transform)
  std::vector<double> bt;  // B^T: alpha x alpha (input transform)
  std::vector<double> g;   // G: alpha x 3 (kernel transform)
  double AT(int row, int col) const { return at[row * alpha + col]; }
  double BT(int row, int col) const { return bt[row * alpha + col]; }
  double G(int row, int col) const { return g[row * 3 + col]; }
};

/*!
 * \brief The matrices of F(tile_size x tile_size, 3 x 3).
 * \throws Error (ValueError) naming tile_size unless it is 2 or 4.
 */
TVM_DLL const WinogradMatrices& Winograd3x3(int tile_size);

/*!
 * \brief An expression of matrix[row][col] for symbolic row and col (a select over the non-zero
 *  entries; after unrolling both are constants and it folds to one number).
 */
TVM_DLL PrimExpr WinogradCoefficient(const std::vector<double>& matrix, int cols, const PrimExpr& row,
                                     const PrimExpr& col, DataType dtype);

/*!
 * \brief U = G g G^T of an OIHW 3x3 kernel: [alpha, alpha, O, I] (TVM's layout of
 *  nn.contrib_conv2d_winograd_weight_transform).
 */
TVM_DLL te::Tensor Conv2DWinogradWeightTransform(const te::Tensor& kernel, int tile_size);

/*!
 * \brief Stride-1 3x3 convolution of NCHW data with a transformed kernel [alpha, alpha, O, I],
 *  output NCHW. Plain TE (the generic implementation; the x86 one is topi::x86).
 * \param padding 1, 2 (top/bottom, left/right) or 4 (top, left, bottom, right) values.
 */
TVM_DLL te::Tensor Conv2DWinogradNCHW(const te::Tensor& data, const te::Tensor& kernel,
                                      const Array<Integer>& padding, int tile_size, DataType out_dtype);

}  // namespace nn
}  // namespace topi
}  // namespace tvm
#endif  // TVM_TOPI_NN_CONV2D_WINOGRAD_H_
