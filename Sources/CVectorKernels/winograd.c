#include "vector_kernels.h"
#include "kernel_clones.h"

// The transforms of the Winograd form of a 4×4, stride-2, padding-1 convolution (see
// vector_kernels.h). Images are batch-innermost, `[C][H][W][N]`, so every loop below runs over N
// contiguous samples of one pixel, which the compiler vectorises at the width of each clone.
// Tensors are `[N][C][H][W]`: each channel goes through a batch-innermost scratch plane (8×8
// blocks through registers), which stays in cache, rather than the whole batch through memory.
//
// Polyphase split: input row 2m − q (q = 0, 1) is row m of phase q, and kernel row 2t + 1 − q
// (t = 0, 1) is tap t of phase q, so output row i = Σ_q Σ_t w[2t + 1 − q] · x[2(i + t) − q]: four
// stride-1 2×2 correlations, one per (row phase, column phase). Each is computed as F(2, 2)
// along rows and columns: an input tile of 3 phase rows d₀…d₂ becomes (d₀ − d₁, d₁, d₂ − d₁),
// a 2-tap kernel (g₀, g₁) becomes (g₀, g₀ + g₁, g₁), and the 3 products m₀…m₂ give the two outputs
// (m₀ + m₁, m₁ + m₂).

enum { block = 64 };  // samples per inner loop; rows outside the image read from a block of zeros

/// The row or column of the image behind phase `q`'s position `m`, or −1 when it is padding.
static inline long phase_source(long m, long q, long size) {
    const long r = 2 * m - q;
    return r >= 0 && r < size ? r : -1;
}

GANKIT_CLONES
void gankit_winograd_input(const float *restrict image, long channels, long height, long width, long batch,
                           long tilesHigh, long tilesWide, long channelBegin, long channelEnd, float *restrict scratch, float *restrict out) {
    const long tiles = tilesHigh * tilesWide, columns = tiles * batch, plane = 4 * channels * columns;
    float zeros[block] = {0};
    const long pixels = height * width;
    float *source = scratch;  // pixels * batch floats
    for (long c = channelBegin; c < channelEnd; c++) {
        gankit_transpose_strided(image + c * pixels, batch, pixels, channels * pixels, source, batch);
        for (long qh = 0; qh < 2; qh++)
            for (long qw = 0; qw < 2; qw++) {
                float *row = out + ((2 * qh + qw) * channels + c) * columns;
                for (long ti = 0; ti < tilesHigh; ti++)
                    for (long tj = 0; tj < tilesWide; tj++) {
                        long rows[3], cols[3];
                        for (long k = 0; k < 3; k++) {
                            rows[k] = phase_source(2 * ti + k, qh, height);
                            cols[k] = phase_source(2 * tj + k, qw, width);
                        }
                        float *to = row + (ti * tilesWide + tj) * batch;
                        for (long n0 = 0; n0 < batch; n0 += block) {
                            const long count = batch - n0 < block ? batch - n0 : block;
                            float d[3][3][block], e[3][3][block];
                            for (long r = 0; r < 3; r++)
                                for (long s = 0; s < 3; s++) {
                                    const float *from = rows[r] < 0 || cols[s] < 0 ? zeros : source + (rows[r] * width + cols[s]) * batch + n0;
                                    for (long n = 0; n < count; n++) d[r][s][n] = from[n];
                                }
                            for (long s = 0; s < 3; s++)
                                for (long n = 0; n < count; n++) {
                                    e[0][s][n] = d[0][s][n] - d[1][s][n];
                                    e[1][s][n] = d[1][s][n];
                                    e[2][s][n] = d[2][s][n] - d[1][s][n];
                                }
                            for (long r = 0; r < 3; r++) {
                                float *o0 = to + (3 * r) * plane + n0, *o1 = o0 + plane, *o2 = o1 + plane;
                                for (long n = 0; n < count; n++) o0[n] = e[r][0][n] - e[r][1][n];
                                for (long n = 0; n < count; n++) o1[n] = e[r][1][n];
                                for (long n = 0; n < count; n++) o2[n] = e[r][2][n] - e[r][1][n];
                            }
                        }
                    }
            }
    }
}

GANKIT_CLONES
void gankit_winograd_input_adjoint(const float *restrict transformed, long channels, long height, long width, long batch,
                                   long tilesHigh, long tilesWide, long channelBegin, long channelEnd, float *restrict scratch, float *restrict image) {
    const long tiles = tilesHigh * tilesWide, columns = tiles * batch, plane = 4 * channels * columns;
    const long pixels = height * width;
    float *target = scratch;  // pixels * batch floats
    for (long c = channelBegin; c < channelEnd; c++) {
        for (long i = 0; i < pixels * batch; i++) target[i] = 0;
        for (long qh = 0; qh < 2; qh++)
            for (long qw = 0; qw < 2; qw++) {
                const float *row = transformed + ((2 * qh + qw) * channels + c) * columns;
                for (long ti = 0; ti < tilesHigh; ti++)
                    for (long tj = 0; tj < tilesWide; tj++) {
                        long rows[3], cols[3];
                        for (long k = 0; k < 3; k++) {
                            rows[k] = phase_source(2 * ti + k, qh, height);
                            cols[k] = phase_source(2 * tj + k, qw, width);
                        }
                        const float *from = row + (ti * tilesWide + tj) * batch;
                        for (long n0 = 0; n0 < batch; n0 += block) {
                            const long count = batch - n0 < block ? batch - n0 : block;
                            float e[3][3][block], d[3][3][block];
                            for (long r = 0; r < 3; r++) {
                                const float *v0 = from + (3 * r) * plane + n0, *v1 = v0 + plane, *v2 = v1 + plane;
                                for (long n = 0; n < count; n++) {
                                    e[r][0][n] = v0[n];
                                    e[r][1][n] = v1[n] - v0[n] - v2[n];
                                    e[r][2][n] = v2[n];
                                }
                            }
                            for (long s = 0; s < 3; s++)
                                for (long n = 0; n < count; n++) {
                                    d[0][s][n] = e[0][s][n];
                                    d[1][s][n] = e[1][s][n] - e[0][s][n] - e[2][s][n];
                                    d[2][s][n] = e[2][s][n];
                                }
                            for (long r = 0; r < 3; r++)
                                for (long s = 0; s < 3; s++) {
                                    if (rows[r] < 0 || cols[s] < 0) continue;  // padding
                                    float *to = target + (rows[r] * width + cols[s]) * batch + n0;
                                    for (long n = 0; n < count; n++) to[n] += d[r][s][n];
                                }
                        }
                    }
            }
        gankit_transpose_strided(target, pixels, batch, batch, image + c * pixels, channels * pixels);
    }
}

GANKIT_CLONES
void gankit_winograd_output(const float *restrict products, long channels, long outHeight, long outWidth, long batch,
                            long tilesHigh, long tilesWide, long channelBegin, long channelEnd, float *restrict scratch, float *restrict image) {
    const long tiles = tilesHigh * tilesWide, columns = tiles * batch, plane = channels * columns;
    const long pixels = outHeight * outWidth;
    float *target = scratch;  // pixels * batch floats
    for (long o = channelBegin; o < channelEnd; o++) {
        const float *row = products + o * columns;
        for (long ti = 0; ti < tilesHigh; ti++)
            for (long tj = 0; tj < tilesWide; tj++) {
                const float *from = row + (ti * tilesWide + tj) * batch;
                for (long n0 = 0; n0 < batch; n0 += block) {
                    const long count = batch - n0 < block ? batch - n0 : block;
                    float f[2][3][block];
                    for (long s = 0; s < 3; s++) {
                        const float *m0 = from + s * plane + n0, *m1 = m0 + 3 * plane, *m2 = m1 + 3 * plane;
                        for (long n = 0; n < count; n++) {
                            f[0][s][n] = m0[n] + m1[n];
                            f[1][s][n] = m1[n] + m2[n];
                        }
                    }
                    for (long a = 0; a < 2; a++)
                        for (long b = 0; b < 2; b++) {
                            const long i = 2 * ti + a, j = 2 * tj + b;
                            if (i >= outHeight || j >= outWidth) continue;  // past an odd edge
                            float *y = target + (i * outWidth + j) * batch + n0;
                            for (long n = 0; n < count; n++) y[n] = f[a][b][n] + f[a][b + 1][n];
                        }
                }
            }
        gankit_transpose_strided(target, pixels, batch, batch, image + o * pixels, channels * pixels);
    }
}

GANKIT_CLONES
void gankit_winograd_output_adjoint(const float *restrict image, long channels, long outHeight, long outWidth, long batch,
                                    long tilesHigh, long tilesWide, long channelBegin, long channelEnd, float *restrict scratch, float *restrict products) {
    const long tiles = tilesHigh * tilesWide, columns = tiles * batch, plane = channels * columns;
    float zeros[block] = {0};
    const long pixels = outHeight * outWidth;
    float *source = scratch;  // pixels * batch floats
    for (long o = channelBegin; o < channelEnd; o++) {
        float *row = products + o * columns;
        gankit_transpose_strided(image + o * pixels, batch, pixels, channels * pixels, source, batch);
        for (long ti = 0; ti < tilesHigh; ti++)
            for (long tj = 0; tj < tilesWide; tj++) {
                float *to = row + (ti * tilesWide + tj) * batch;
                for (long n0 = 0; n0 < batch; n0 += block) {
                    const long count = batch - n0 < block ? batch - n0 : block;
                    float y[2][2][block], g[2][3][block];
                    for (long a = 0; a < 2; a++)
                        for (long b = 0; b < 2; b++) {
                            const long i = 2 * ti + a, j = 2 * tj + b;
                            const float *from = i < outHeight && j < outWidth ? source + (i * outWidth + j) * batch + n0 : zeros;
                            for (long n = 0; n < count; n++) y[a][b][n] = from[n];
                        }
                    for (long a = 0; a < 2; a++)
                        for (long n = 0; n < count; n++) {
                            g[a][0][n] = y[a][0][n];
                            g[a][1][n] = y[a][0][n] + y[a][1][n];
                            g[a][2][n] = y[a][1][n];
                        }
                    for (long s = 0; s < 3; s++) {
                        float *m0 = to + s * plane + n0, *m1 = m0 + 3 * plane, *m2 = m1 + 3 * plane;
                        for (long n = 0; n < count; n++) m0[n] = g[0][s][n];
                        for (long n = 0; n < count; n++) m1[n] = g[0][s][n] + g[1][s][n];
                        for (long n = 0; n < count; n++) m2[n] = g[1][s][n];
                    }
                }
            }
    }
}

GANKIT_CLONES
void gankit_winograd_weight(const float *restrict weight, long outChannels, long channels, long outBegin, long outEnd,
                            float *restrict scratch, float *restrict out) {
    const long plane = outChannels * 4 * channels;
    float *taps = scratch;  // one output channel's kernel, [tap][C]: 16 * channels floats
    for (long o = outBegin; o < outEnd; o++) {
        gankit_transpose_strided(weight + o * channels * 16, channels, 16, 16, taps, channels);
        for (long qh = 0; qh < 2; qh++)
            for (long qw = 0; qw < 2; qw++) {
                // Phase (qh, qw)'s 2×2 kernel: tap (t, u) is kernel row 2t + 1 − qh, column 2u + 1 − qw.
                const float *g00 = taps + ((1 - qh) * 4 + 1 - qw) * channels, *g01 = taps + ((1 - qh) * 4 + 3 - qw) * channels;
                const float *g10 = taps + ((3 - qh) * 4 + 1 - qw) * channels, *g11 = taps + ((3 - qh) * 4 + 3 - qw) * channels;
                float *to = out + o * 4 * channels + (2 * qh + qw) * channels;
                for (long c = 0; c < channels; c++) {
                    const float h[3][2] = {{g00[c], g01[c]}, {g00[c] + g10[c], g01[c] + g11[c]}, {g10[c], g11[c]}};
                    for (long r = 0; r < 3; r++) {
                        to[(3 * r) * plane + c] = h[r][0];
                        to[(3 * r + 1) * plane + c] = h[r][0] + h[r][1];
                        to[(3 * r + 2) * plane + c] = h[r][1];
                    }
                }
            }
    }
}

GANKIT_CLONES
void gankit_winograd_weight_adjoint(const float *restrict transformed, long outChannels, long channels, long outBegin, long outEnd,
                                    float *restrict scratch, float *restrict weight) {
    const long plane = outChannels * 4 * channels;
    float *taps = scratch;  // 16 * channels floats
    for (long o = outBegin; o < outEnd; o++) {
        for (long qh = 0; qh < 2; qh++)
            for (long qw = 0; qw < 2; qw++) {
                float *g00 = taps + ((1 - qh) * 4 + 1 - qw) * channels, *g01 = taps + ((1 - qh) * 4 + 3 - qw) * channels;
                float *g10 = taps + ((3 - qh) * 4 + 1 - qw) * channels, *g11 = taps + ((3 - qh) * 4 + 3 - qw) * channels;
                const float *from = transformed + o * 4 * channels + (2 * qh + qw) * channels;
                for (long c = 0; c < channels; c++) {
                    float h[3][2];
                    for (long r = 0; r < 3; r++) {
                        h[r][0] = from[(3 * r) * plane + c] + from[(3 * r + 1) * plane + c];
                        h[r][1] = from[(3 * r + 1) * plane + c] + from[(3 * r + 2) * plane + c];
                    }
                    g00[c] = h[0][0] + h[1][0];
                    g01[c] = h[0][1] + h[1][1];
                    g10[c] = h[1][0] + h[2][0];
                    g11[c] = h[1][1] + h[2][1];
                }
            }
        gankit_transpose_strided(taps, 16, channels, channels, weight + o * channels * 16, 16);
    }
}
