#include "vector_kernels.h"

#pragma clang fp contract(off)

#if defined(__x86_64__)
#define GANKIT_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define GANKIT_CLONES
#endif

/// One element of Adam's update; `weightDecay` is a loop invariant the compiler unswitches.
#define ADAM_ELEMENT(pOut, mOut, vOut, p, m, v, g, i)                                              \
    do {                                                                                           \
        const float gi = weightDecay == 0 ? g[i] : g[i] + weightDecay * p[i];                      \
        const float mi = beta1 * m[i] + c1 * gi;                                                   \
        const float vi = beta2 * v[i] + c2 * gi * gi;                                              \
        mOut[i] = mi;                                                                              \
        vOut[i] = vi;                                                                              \
        pOut[i] = p[i] - stepSize * mi / (__builtin_elementwise_sqrt(vi) * inverseCorrection + epsilon); \
    } while (0)

GANKIT_CLONES
void gankit_adam_update(float *restrict p, float *restrict m, float *restrict v, const float *restrict g, long count,
                        float beta1, float beta2, float epsilon, float weightDecay, float stepSize, float correction2) {
    const float c1 = 1 - beta1, c2 = 1 - beta2, inverseCorrection = 1 / correction2;
    for (long i = 0; i < count; i++) ADAM_ELEMENT(p, m, v, p, m, v, g, i);
}

GANKIT_CLONES
void gankit_adam_update_into(float *restrict pOut, float *restrict mOut, float *restrict vOut, const float *restrict p,
                             const float *restrict m, const float *restrict v, const float *restrict g, long count,
                             float beta1, float beta2, float epsilon, float weightDecay, float stepSize, float correction2) {
    const float c1 = 1 - beta1, c2 = 1 - beta2, inverseCorrection = 1 / correction2;
    for (long i = 0; i < count; i++) ADAM_ELEMENT(pOut, mOut, vOut, p, m, v, g, i);
}
