#include "vector_kernels.h"
#include "kernel_clones.h"
#include <string.h>

// Box–Muller in double precision, eight pairs per vector. The scalar version called libm's log,
// cos and sin once per pair (about 12 ns a sample, 2% of an SGAN iteration); these are fdlibm's
// algorithms (Sun Microsystems, 1993: e_log.c, e_rem_pio2.c, k_sin.c, k_cos.c) with their branches
// turned into selects. Each is accurate to within an ulp of a double, so the floats they round to are
// the ones the libm formula gives except on a set of inputs of measure about 2⁻²⁹.

// The helpers below take 512-bit vectors but are always inlined, so no call crosses an ABI.
#pragma clang diagnostic ignored "-Wpsabi"

typedef double vd __attribute__((ext_vector_type(8)));
typedef long vl __attribute__((ext_vector_type(8)));
typedef unsigned long vu __attribute__((ext_vector_type(8)));
typedef float vf __attribute__((ext_vector_type(8)));

#define ALWAYS_INLINE static inline __attribute__((always_inline))

ALWAYS_INLINE vd asDouble(vu bits) { return __builtin_bit_cast(vd, bits); }
ALWAYS_INLINE vu asBits(vd x) { return __builtin_bit_cast(vu, x); }
/// a where the mask's lane is all ones, b where it is zero.
ALWAYS_INLINE vd select(vl mask, vd a, vd b) {
    const vu m = __builtin_bit_cast(vu, mask);
    return asDouble((asBits(a) & m) | (asBits(b) & ~m));
}

/// The top 53 bits of each word as a double in [0, 1), exactly (k · 2⁻⁵³).
ALWAYS_INLINE vd unitInterval(vu bits) {
    const vd high52 = asDouble((bits >> 12) | 0x3FF0000000000000ULL) - 1.0;  // (bits >> 12) · 2⁻⁵²
    const vu lowest = (0 - ((bits >> 11) & 1)) & 0x3CA0000000000000ULL;  // 2⁻⁵³ or 0
    return high52 + asDouble(lowest);
}

/// Natural log of x in [2⁻⁵³, 1] (fdlibm's e_log.c without its special cases, which these
/// arguments never reach; its fast path for |f| < 2⁻²⁰ is replaced by the general formula).
ALWAYS_INLINE vd logarithm(vd x) {
    const double ln2Hi = 6.93147180369123816490e-01, ln2Lo = 1.90821492927058770002e-10;
    const double lg1 = 6.666666666666735130e-01, lg2 = 3.999999999940941908e-01, lg3 = 2.857142874366239149e-01,
                 lg4 = 2.222219843214978396e-01, lg5 = 1.818357216161805012e-01, lg6 = 1.531383769920937332e-01,
                 lg7 = 1.479819860511658591e-01;
    const vu bits = asBits(x);
    const vl high = __builtin_convertvector(bits >> 32, vl);
    vl k = (high >> 20) - 1023;
    const vl hx = high & 0x000FFFFF;
    const vl i = (hx + 0x95F64) & 0x100000;
    // x scaled by a power of two into [√2/2, √2).
    const vd m = asDouble(__builtin_convertvector(((hx | (i ^ 0x3FF00000)) << 32), vu) | (bits & 0xFFFFFFFFULL));
    k += i >> 20;
    const vd f = m - 1.0;
    const vd s = f / (2.0 + f);
    // k is in [-53, 1]: an exact conversion through the bits of 2⁵² + 1024 + k.
    const vd dk = asDouble(__builtin_convertvector(k + 1024, vu) | 0x4330000000000000ULL) - (0x1p52 + 1024.0);
    const vd z = s * s, w = z * z;
    const vd t1 = w * (lg2 + w * (lg4 + w * lg6));
    const vd t2 = z * (lg1 + w * (lg3 + w * (lg5 + w * lg7)));
    const vd r = t2 + t1;
    const vl far = ((hx - 0x6147A) | (0x6B851 - hx)) > 0;  // f outside [-0.25, 0.42]: keep f²/2 apart
    const vd hfsq = 0.5 * f * f;
    const vd nearOne = dk * ln2Hi - ((s * (f - r) - dk * ln2Lo) - f);
    const vd farFromOne = dk * ln2Hi - ((hfsq - (s * (hfsq + r) + dk * ln2Lo)) - f);
    return select(far, farFromOne, nearOne);
}

/// sin(x + y) for |x| ≤ π/4 + ε, y a tail below half an ulp of x (fdlibm's k_sin.c).
ALWAYS_INLINE vd sineKernel(vd x, vd y) {
    const double s1 = -1.66666666666666324348e-01, s2 = 8.33333333332248946124e-03, s3 = -1.98412698298579493134e-04,
                 s4 = 2.75573137070700676789e-06, s5 = -2.50507602534068634195e-08, s6 = 1.58969099521155010221e-10;
    const vd z = x * x, v = z * x;
    const vd r = s2 + z * (s3 + z * (s4 + z * (s5 + z * s6)));
    return x - ((z * (0.5 * y - v * r) - y) - v * s1);
}

/// cos(x + y) for |x| ≤ π/4 + ε (fdlibm's k_cos.c; its three ranges become one formula with the
/// subtrahend qx chosen per lane, qx = 0 giving the formula for |x| < 0.3).
ALWAYS_INLINE vd cosineKernel(vd x, vd y) {
    const double c1 = 4.16666666666666019037e-02, c2 = -1.38888888888741095749e-03, c3 = 2.48015872894767294178e-05,
                 c4 = -2.75573143513906633035e-07, c5 = 2.08757232129817482790e-09, c6 = -1.13596475577881948265e-11;
    const vu highAbs = (asBits(x) >> 32) & 0x7FFFFFFF;
    const vd quarter = asDouble((highAbs - 0x00200000) << 32);  // |x|/4 with its low word cleared
    vd qx = select(__builtin_convertvector(highAbs > 0x3FE90000, vl), (vd)0.28125, quarter);
    qx = select(__builtin_convertvector(highAbs < 0x3FD33333, vl), (vd)0.0, qx);
    const vd z = x * x;
    const vd r = z * (c1 + z * (c2 + z * (c3 + z * (c4 + z * (c5 + z * c6)))));
    const vd hz = 0.5 * z - qx, a = 1.0 - qx;
    return a - (hz - (z * r - x * y));
}

/// Eight pairs: the words `bits[2j]` give u₁ and `bits[2j + 1]` give u₂ of pair j.
ALWAYS_INLINE void eightPairs(const unsigned long long *bits, float mean, float std, float *out) {
    vu first, second;
    for (int j = 0; j < 8; j++) {
        first[j] = bits[2 * j];
        second[j] = bits[2 * j + 1];
    }
    const vd u1 = 1.0 - unitInterval(first);  // (0, 1]: the log is finite
    const vd u2 = unitInterval(second);
    const vd radius = __builtin_elementwise_sqrt(-2.0 * logarithm(u1));
    const vd theta = 2.0 * 3.141592653589793 * u2;
    // θ in [0, 2π): θ = n·π/2 + (y0 + y1) with n in 0…4 (fdlibm's e_rem_pio2.c, medium case, one round).
    const double invPio2 = 6.36619772367581382433e-01, pio2Part1 = 1.57079632673412561417e+00,
                 pio2Part1Tail = 6.07710050650619224932e-11;
    const vd shifted = theta * invPio2 + 0x1.8p52;  // rounds to the nearest integer in the low bits
    const vd fn = shifted - 0x1.8p52;
    const vu quadrant = asBits(shifted) & 3;
    const vd rest = theta - fn * pio2Part1;
    const vd w = fn * pio2Part1Tail;
    const vd y0 = rest - w;
    const vd y1 = (rest - y0) - w;
    const vd s = sineKernel(y0, y1), c = cosineKernel(y0, y1);
    const vl odd = __builtin_convertvector((quadrant & 1) != 0, vl);
    const vl negateCos = __builtin_convertvector((quadrant == 1) | (quadrant == 2), vl);
    const vl negateSin = __builtin_convertvector(quadrant >= 2, vl);
    const vd cosTheta = select(negateCos, -select(odd, s, c), select(odd, s, c));
    const vd sinTheta = select(negateSin, -select(odd, c, s), select(odd, c, s));
    const vf x = __builtin_convertvector(radius * cosTheta, vf), y = __builtin_convertvector(radius * sinTheta, vf);
    const vf a = mean + std * x, b = mean + std * y;
    for (int j = 0; j < 8; j++) {
        out[2 * j] = a[j];
        out[2 * j + 1] = b[j];
    }
}

GANKIT_CLONES
void gankit_box_muller(const unsigned long long *restrict bits, long count, float mean, float std, float *restrict out) {
    long i = 0;
    for (; i + 16 <= count; i += 16) eightPairs(bits + i, mean, std, out + i);
    if (i < count) {
        // The last pairs go through the same vector code on zero-padded words.
        unsigned long long padded[16] = {0};
        float tail[16];
        const long words = (count - i + 1) & ~1L;
        memcpy(padded, bits + i, (size_t)words * sizeof *bits);
        eightPairs(padded, mean, std, tail);
        memcpy(out + i, tail, (size_t)(count - i) * sizeof *out);
    }
}
