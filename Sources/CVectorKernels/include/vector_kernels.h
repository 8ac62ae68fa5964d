#ifndef GANKIT_VECTOR_KERNELS_H
#define GANKIT_VECTOR_KERNELS_H
// Loops that Swift, compiled for baseline x86-64, leaves on 128-bit SSE (scalarising vector square
// roots, calling libm once per element). Each is compiled once per instruction set (AVX-512, AVX2,
// baseline) and the loader picks the widest the CPU has. Floating-point contraction is off, so
// every variant computes bit-identical results.

/// Adam's update of one parameter run (PyTorch's rule with L2 weight decay added to the gradient):
/// m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², p ← p − stepSize·m / (√v / correction2 + ε).
void gankit_adam_update(float *p, float *m, float *v, const float *g, long count, float beta1, float beta2,
                        float epsilon, float weightDecay, float stepSize, float correction2);

/// The same update read from (p, m, v) and written to distinct (pOut, mOut, vOut): for state that
/// is shared (copy-on-write, e.g. just after a checkpoint took it), this replaces copy-then-update
/// with one pass.
void gankit_adam_update_into(float *pOut, float *mOut, float *vOut, const float *p, const float *m, const float *v,
                             const float *g, long count, float beta1, float beta2, float epsilon, float weightDecay,
                             float stepSize, float correction2);

/// Columns [columnBegin, columnEnd) of the row-major `rows × columns` matrix `source`, written
/// transposed into `destination` (`columns × rows`): 8×8 blocks go through registers, in tiles that
/// stay in L1, so that both sides move whole vectors rather than single floats.
void gankit_transpose(const float *source, long rows, long columns, long columnBegin, long columnEnd,
                      float *destination);

/// The `rows × columns` matrix at `source` (row stride `sourceStride`) written transposed at
/// `destination` (row stride `destinationStride`), on the calling thread: a channel of a
/// `[N][C][H][W]` batch to or from the batch-innermost `[H][W][N]` the convolution loops use.
void gankit_transpose_strided(const float *source, long rows, long columns, long sourceStride, float *destination,
                              long destinationStride);

/// y = x where x > 0, slope·x elsewhere (LeakyReLU; ReLU for slope 0).
void gankit_leaky_relu(const float *x, long count, float slope, float *y);

/// LeakyReLU's derivative applied to an upstream gradient: out = gradient where x > 0, slope·gradient elsewhere.
void gankit_leaky_relu_backward(const float *gradient, const float *x, long count, float slope, float *out);

/// sums[c] += Σ_r x[r·columns + c], rows in order (bias gradients).
void gankit_add_column_sums(const float *x, long rows, long columns, float *sums);

/// y += alpha·x, multiplied then added (no fused multiply-add), as the Swift loop it replaces.
void gankit_add_scaled(float *y, const float *x, long count, float alpha);

/// `count` standard-normal floats by Box–Muller in double precision, scaled to `mean + std·x`:
/// output 2j is r·cos θ and 2j + 1 is r·sin θ, with u₁ = 1 − (bits[2j] >> 11)·2⁻⁵³,
/// u₂ = (bits[2j + 1] >> 11)·2⁻⁵³, r = √(−2 ln u₁), θ = 2πu₂. `bits` holds count rounded up to even words.
void gankit_box_muller(const unsigned long long *bits, long count, float mean, float std, float *out);

// The Winograd form of a 4×4, stride-2, padding-1 convolution (DCGAN's layers), F(2×2, 2×2) on
// the four polyphase components of the input: 9 products per 2×2 output tile and input channel
// where the direct form takes 16. Images are `[N][C][H][W]`; transformed tensors are
// `[9][rows][tiles·N]` (tiles ⌈Ho/2⌉·⌈Wo/2⌉ row-major, sample innermost), one GEMM per transform
// point. Each function has its adjoint, so that gradients are the same transforms run backwards.
// The image loops handle channels [channelBegin, channelEnd), for threads; each moves one channel
// at a time through a batch-innermost scratch plane (the caller's: an image plane's pixels × N
// floats; the kernel transforms take 16·C), so that the transforms run over N samples.

/// Input transform: `image [N][C][H][W]` → `out [9][4C][tiles·N]`, row (2·(row phase) + column phase)·C + c.
void gankit_winograd_input(const float *image, long channels, long height, long width, long batch,
                           long tilesHigh, long tilesWide, long channelBegin, long channelEnd, float *scratch, float *out);

/// Adjoint of the input transform: `transformed [9][4C][tiles·N]` → `image [N][C][H][W]` (overwritten).
void gankit_winograd_input_adjoint(const float *transformed, long channels, long height, long width, long batch,
                                   long tilesHigh, long tilesWide, long channelBegin, long channelEnd, float *scratch, float *image);

/// Output transform: `products [9][O][tiles·N]` → `image [N][O][Ho][Wo]`.
void gankit_winograd_output(const float *products, long channels, long outHeight, long outWidth, long batch,
                            long tilesHigh, long tilesWide, long channelBegin, long channelEnd, float *scratch, float *image);

/// Adjoint of the output transform: `image [N][O][Ho][Wo]` → `products [9][O][tiles·N]`.
void gankit_winograd_output_adjoint(const float *image, long channels, long outHeight, long outWidth, long batch,
                                    long tilesHigh, long tilesWide, long channelBegin, long channelEnd, float *scratch, float *products);

/// Kernel transform: `weight [O][C][4][4]` → `out [9][O][4C]`, output channels [outBegin, outEnd).
void gankit_winograd_weight(const float *weight, long outChannels, long channels, long outBegin, long outEnd, float *scratch, float *out);

/// Adjoint of the kernel transform: `transformed [9][O][4C]` → `weight [O][C][4][4]`, output channels [outBegin, outEnd).
void gankit_winograd_weight_adjoint(const float *transformed, long outChannels, long channels, long outBegin, long outEnd,
                                    float *scratch, float *weight);

// The Toom–Cook (Winograd) form F(m, r) of a stride-1 1-D correlation with r taps (the text nets'
// kernel-5 convolutions): m outputs from m + r − 1 = P products instead of m·r. Sequences are
// `[N][C][L]`; transformed tensors are `[P][rows][tiles·N]` (sample innermost), one GEMM per
// transform point. The matrices are the caller's, row-major: the input transform Bᵀ (P × P), the
// kernel transform G (P × r) and the output transform Aᵀ (m × P). Each function has its adjoint.
// Sequence loops handle channels [channelBegin, channelEnd) and need a scratch block of
// ((tiles − 1)·m + P)·N floats.

/// Input transform: `sequence [N][C][L]` → `out [P][C][tiles·N]`, with `padding` zeros at each end.
void gankit_winograd1d_input(const float *sequence, long channels, long length, long batch, long padding,
                             long tiles, long outputsPerTile, long points, const float *transform,
                             long channelBegin, long channelEnd, float *scratch, float *out);

/// Adjoint of the input transform: `transformed [P][C][tiles·N]` → `sequence [N][C][L]` (overwritten).
void gankit_winograd1d_input_adjoint(const float *transformed, long channels, long length, long batch,
                                     long padding, long tiles, long outputsPerTile, long points,
                                     const float *transform, long channelBegin, long channelEnd,
                                     float *scratch, float *sequence);

/// Output transform: `products [P][O][tiles·N]` → `sequence [N][O][outLength]`.
void gankit_winograd1d_output(const float *products, long channels, long outLength, long batch, long tiles,
                              long outputsPerTile, long points, const float *transform, long channelBegin,
                              long channelEnd, float *scratch, float *sequence);

/// Adjoint of the output transform: `sequence [N][O][outLength]` → `products [P][O][tiles·N]`.
void gankit_winograd1d_output_adjoint(const float *sequence, long channels, long outLength, long batch,
                                      long tiles, long outputsPerTile, long points, const float *transform,
                                      long channelBegin, long channelEnd, float *scratch, float *products);

/// Kernel transform: `weight [O][C][r]` → `out [P][O][C]`, output channels [outBegin, outEnd);
/// scratch of r·C floats.
void gankit_winograd1d_weight(const float *weight, long outChannels, long channels, long taps, long points,
                              const float *transform, long outBegin, long outEnd, float *scratch, float *out);

/// Adjoint of the kernel transform: `transformed [P][O][C]` → `weight [O][C][r]`, output channels
/// [outBegin, outEnd); scratch of r·C floats.
void gankit_winograd1d_weight_adjoint(const float *transformed, long outChannels, long channels, long taps,
                                      long points, const float *transform, long outBegin, long outEnd,
                                      float *scratch, float *weight);

#endif
