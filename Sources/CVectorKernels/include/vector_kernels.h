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

#endif
