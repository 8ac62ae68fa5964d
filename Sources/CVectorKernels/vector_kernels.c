#include "vector_kernels.h"
#include "kernel_clones.h"

/// Adam's update of one element: the new moments and the new parameter. `weightDecay` is a loop
/// invariant the compiler unswitches.
typedef struct { float m, v, p; } AdamElement;

static inline __attribute__((always_inline)) AdamElement adamElement(float p, float m, float v, float g, float beta1, float beta2,
                                                                    float c1, float c2, float epsilon, float weightDecay,
                                                                    float stepSize, float inverseCorrection) {
    const float gi = weightDecay == 0 ? g : g + weightDecay * p;
    const float mi = beta1 * m + c1 * gi;
    const float vi = beta2 * v + c2 * gi * gi;
    return (AdamElement){mi, vi, p - stepSize * mi / (__builtin_elementwise_sqrt(vi) * inverseCorrection + epsilon)};
}

#define ADAM_CONSTANTS const float c1 = 1 - beta1, c2 = 1 - beta2, inverseCorrection = 1 / correction2
#define ADAM_ELEMENT(i) adamElement(p[i], m[i], v[i], g[i], beta1, beta2, c1, c2, epsilon, weightDecay, stepSize, inverseCorrection)

GANKIT_CLONES
void gankit_adam_update(float *restrict p, float *restrict m, float *restrict v, const float *restrict g, long count,
                        float beta1, float beta2, float epsilon, float weightDecay, float stepSize, float correction2) {
    ADAM_CONSTANTS;
    for (long i = 0; i < count; i++) {
        const AdamElement e = ADAM_ELEMENT(i);
        m[i] = e.m;
        v[i] = e.v;
        p[i] = e.p;
    }
}

GANKIT_CLONES
void gankit_adam_update_into(float *restrict pOut, float *restrict mOut, float *restrict vOut, const float *restrict p,
                             const float *restrict m, const float *restrict v, const float *restrict g, long count,
                             float beta1, float beta2, float epsilon, float weightDecay, float stepSize, float correction2) {
    ADAM_CONSTANTS;
    for (long i = 0; i < count; i++) {
        const AdamElement e = ADAM_ELEMENT(i);
        mOut[i] = e.m;
        vOut[i] = e.v;
        pOut[i] = e.p;
    }
}

typedef float gankit_v8 __attribute__((ext_vector_type(8), aligned(4)));

/// The 8×8 block at `s` (row stride `ls`) written transposed at `d` (row stride `ld`): three rounds
/// of shuffles (pairs of rows, pairs of pairs, halves).
static inline __attribute__((always_inline)) void transpose8x8(const float *s, long ls, float *d, long ld) {
    gankit_v8 r0 = *(const gankit_v8 *)(s), r1 = *(const gankit_v8 *)(s + ls), r2 = *(const gankit_v8 *)(s + 2 * ls),
              r3 = *(const gankit_v8 *)(s + 3 * ls), r4 = *(const gankit_v8 *)(s + 4 * ls), r5 = *(const gankit_v8 *)(s + 5 * ls),
              r6 = *(const gankit_v8 *)(s + 6 * ls), r7 = *(const gankit_v8 *)(s + 7 * ls);
    gankit_v8 t0 = __builtin_shufflevector(r0, r1, 0, 8, 1, 9, 4, 12, 5, 13), t1 = __builtin_shufflevector(r0, r1, 2, 10, 3, 11, 6, 14, 7, 15);
    gankit_v8 t2 = __builtin_shufflevector(r2, r3, 0, 8, 1, 9, 4, 12, 5, 13), t3 = __builtin_shufflevector(r2, r3, 2, 10, 3, 11, 6, 14, 7, 15);
    gankit_v8 t4 = __builtin_shufflevector(r4, r5, 0, 8, 1, 9, 4, 12, 5, 13), t5 = __builtin_shufflevector(r4, r5, 2, 10, 3, 11, 6, 14, 7, 15);
    gankit_v8 t6 = __builtin_shufflevector(r6, r7, 0, 8, 1, 9, 4, 12, 5, 13), t7 = __builtin_shufflevector(r6, r7, 2, 10, 3, 11, 6, 14, 7, 15);
    gankit_v8 u0 = __builtin_shufflevector(t0, t2, 0, 1, 8, 9, 4, 5, 12, 13), u1 = __builtin_shufflevector(t0, t2, 2, 3, 10, 11, 6, 7, 14, 15);
    gankit_v8 u2 = __builtin_shufflevector(t1, t3, 0, 1, 8, 9, 4, 5, 12, 13), u3 = __builtin_shufflevector(t1, t3, 2, 3, 10, 11, 6, 7, 14, 15);
    gankit_v8 u4 = __builtin_shufflevector(t4, t6, 0, 1, 8, 9, 4, 5, 12, 13), u5 = __builtin_shufflevector(t4, t6, 2, 3, 10, 11, 6, 7, 14, 15);
    gankit_v8 u6 = __builtin_shufflevector(t5, t7, 0, 1, 8, 9, 4, 5, 12, 13), u7 = __builtin_shufflevector(t5, t7, 2, 3, 10, 11, 6, 7, 14, 15);
    *(gankit_v8 *)(d) = __builtin_shufflevector(u0, u4, 0, 1, 2, 3, 8, 9, 10, 11);
    *(gankit_v8 *)(d + ld) = __builtin_shufflevector(u1, u5, 0, 1, 2, 3, 8, 9, 10, 11);
    *(gankit_v8 *)(d + 2 * ld) = __builtin_shufflevector(u2, u6, 0, 1, 2, 3, 8, 9, 10, 11);
    *(gankit_v8 *)(d + 3 * ld) = __builtin_shufflevector(u3, u7, 0, 1, 2, 3, 8, 9, 10, 11);
    *(gankit_v8 *)(d + 4 * ld) = __builtin_shufflevector(u0, u4, 4, 5, 6, 7, 12, 13, 14, 15);
    *(gankit_v8 *)(d + 5 * ld) = __builtin_shufflevector(u1, u5, 4, 5, 6, 7, 12, 13, 14, 15);
    *(gankit_v8 *)(d + 6 * ld) = __builtin_shufflevector(u2, u6, 4, 5, 6, 7, 12, 13, 14, 15);
    *(gankit_v8 *)(d + 7 * ld) = __builtin_shufflevector(u3, u7, 4, 5, 6, 7, 12, 13, 14, 15);
}

GANKIT_CLONES
void gankit_transpose(const float *restrict source, long rows, long columns, long columnBegin, long columnEnd,
                      float *restrict destination) {
    enum { tile = 64 };  // 64×64 floats: 16 KiB read and 16 KiB written per tile
    for (long r0 = 0; r0 < rows; r0 += tile) {
        const long r1 = r0 + tile < rows ? r0 + tile : rows;
        for (long c0 = columnBegin; c0 < columnEnd; c0 += tile) {
            const long c1 = c0 + tile < columnEnd ? c0 + tile : columnEnd;
            long r = r0;
            for (; r + 8 <= r1; r += 8) {
                long c = c0;
                for (; c + 8 <= c1; c += 8) transpose8x8(source + r * columns + c, columns, destination + c * rows + r, rows);
                for (; c < c1; c++)
                    for (long k = 0; k < 8; k++) destination[c * rows + r + k] = source[(r + k) * columns + c];
            }
            for (; r < r1; r++)
                for (long c = c0; c < c1; c++) destination[c * rows + r] = source[r * columns + c];
        }
    }
}

GANKIT_CLONES
void gankit_transpose_strided(const float *restrict source, long rows, long columns, long sourceStride,
                              float *restrict destination, long destinationStride) {
    enum { tile = 64 };
    for (long r0 = 0; r0 < rows; r0 += tile) {
        const long r1 = r0 + tile < rows ? r0 + tile : rows;
        for (long c0 = 0; c0 < columns; c0 += tile) {
            const long c1 = c0 + tile < columns ? c0 + tile : columns;
            long r = r0;
            for (; r + 8 <= r1; r += 8) {
                long c = c0;
                for (; c + 8 <= c1; c += 8)
                    transpose8x8(source + r * sourceStride + c, sourceStride, destination + c * destinationStride + r, destinationStride);
                for (; c < c1; c++)
                    for (long k = 0; k < 8; k++) destination[c * destinationStride + r + k] = source[(r + k) * sourceStride + c];
            }
            for (; r < r1; r++)
                for (long c = c0; c < c1; c++) destination[c * destinationStride + r] = source[r * sourceStride + c];
        }
    }
}
