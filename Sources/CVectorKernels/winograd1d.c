#include "vector_kernels.h"
#include "kernel_clones.h"

// The transforms of the Toom–Cook (Winograd) form F(m, r) of a stride-1 1-D correlation (see
// vector_kernels.h). Sequences are `[N][C][L]`; each channel goes through a scratch block of
// positions × samples (8×8 blocks through registers), so that every loop below combines rows of N
// contiguous samples, which the compiler vectorises at the width of each clone. The transform
// matrices come from the caller, row-major; their zero entries are skipped.

enum { block = 64 };  // samples per accumulator

/// to[n] (= or +=) Σ_j coefficients[j·coefficientStride] · rows[j·rowStride + n], for n < count.
static inline void combine(const float *restrict coefficients, long coefficientStride, long terms,
                           const float *restrict rows, long rowStride, long count, int accumulate, float *restrict to) {
    for (long n0 = 0; n0 < count; n0 += block) {
        const long width = count - n0 < block ? count - n0 : block;
        float sum[block];
        for (long n = 0; n < width; n++) sum[n] = accumulate ? to[n0 + n] : 0;
        for (long j = 0; j < terms; j++) {
            const float a = coefficients[j * coefficientStride];
            if (a == 0) continue;
            const float *from = rows + j * rowStride + n0;
            for (long n = 0; n < width; n++) sum[n] += a * from[n];
        }
        for (long n = 0; n < width; n++) to[n0 + n] = sum[n];
    }
}

static inline void zero(float *to, long count) {
    for (long i = 0; i < count; i++) to[i] = 0;
}

GANKIT_CLONES
void gankit_winograd1d_input(const float *restrict sequence, long channels, long length, long batch, long padding,
                             long tiles, long outputsPerTile, long points, const float *restrict transform,
                             long channelBegin, long channelEnd, float *restrict scratch, float *restrict out) {
    const long rows = (tiles - 1) * outputsPerTile + points, columns = tiles * batch, plane = channels * columns;
    for (long c = channelBegin; c < channelEnd; c++) {
        // Scratch row q holds position q − padding of every sample, zero outside the sequence.
        zero(scratch, padding * batch);
        gankit_transpose_strided(sequence + c * length, batch, length, channels * length, scratch + padding * batch, batch);
        zero(scratch + (padding + length) * batch, (rows - padding - length) * batch);
        for (long t = 0; t < tiles; t++)
            for (long p = 0; p < points; p++)
                combine(transform + p * points, 1, points, scratch + t * outputsPerTile * batch, batch, batch, 0,
                        out + p * plane + c * columns + t * batch);
    }
}

GANKIT_CLONES
void gankit_winograd1d_input_adjoint(const float *restrict transformed, long channels, long length, long batch,
                                     long padding, long tiles, long outputsPerTile, long points,
                                     const float *restrict transform, long channelBegin, long channelEnd,
                                     float *restrict scratch, float *restrict sequence) {
    const long rows = (tiles - 1) * outputsPerTile + points, columns = tiles * batch, plane = channels * columns;
    for (long c = channelBegin; c < channelEnd; c++) {
        zero(scratch, rows * batch);
        for (long t = 0; t < tiles; t++)
            for (long j = 0; j < points; j++)
                combine(transform + j, points, points, transformed + c * columns + t * batch, plane, batch, 1,
                        scratch + (t * outputsPerTile + j) * batch);
        gankit_transpose_strided(scratch + padding * batch, length, batch, batch, sequence + c * length, channels * length);
    }
}

GANKIT_CLONES
void gankit_winograd1d_output(const float *restrict products, long channels, long outLength, long batch, long tiles,
                              long outputsPerTile, long points, const float *restrict transform, long channelBegin,
                              long channelEnd, float *restrict scratch, float *restrict sequence) {
    const long columns = tiles * batch, plane = channels * columns;
    for (long o = channelBegin; o < channelEnd; o++) {
        for (long t = 0; t < tiles; t++)
            for (long i = 0; i < outputsPerTile; i++)
                combine(transform + i * points, 1, points, products + o * columns + t * batch, plane, batch, 0,
                        scratch + (t * outputsPerTile + i) * batch);
        gankit_transpose_strided(scratch, outLength, batch, batch, sequence + o * outLength, channels * outLength);
    }
}

GANKIT_CLONES
void gankit_winograd1d_output_adjoint(const float *restrict sequence, long channels, long outLength, long batch,
                                      long tiles, long outputsPerTile, long points, const float *restrict transform,
                                      long channelBegin, long channelEnd, float *restrict scratch,
                                      float *restrict products) {
    const long columns = tiles * batch, plane = channels * columns;
    for (long o = channelBegin; o < channelEnd; o++) {
        gankit_transpose_strided(sequence + o * outLength, batch, outLength, channels * outLength, scratch, batch);
        zero(scratch + outLength * batch, (tiles * outputsPerTile - outLength) * batch);
        for (long t = 0; t < tiles; t++)
            for (long p = 0; p < points; p++)
                combine(transform + p, points, outputsPerTile, scratch + t * outputsPerTile * batch, batch, batch, 0,
                        products + p * plane + o * columns + t * batch);
    }
}

GANKIT_CLONES
void gankit_winograd1d_weight(const float *restrict weight, long outChannels, long channels, long taps, long points,
                              const float *restrict transform, long outBegin, long outEnd, float *restrict scratch,
                              float *restrict out) {
    for (long o = outBegin; o < outEnd; o++) {
        // One output channel's kernel as [tap][C], so that each point combines rows of C channels.
        gankit_transpose_strided(weight + o * channels * taps, channels, taps, taps, scratch, channels);
        for (long p = 0; p < points; p++)
            combine(transform + p * taps, 1, taps, scratch, channels, channels, 0, out + (p * outChannels + o) * channels);
    }
}

GANKIT_CLONES
void gankit_winograd1d_weight_adjoint(const float *restrict transformed, long outChannels, long channels, long taps,
                                      long points, const float *restrict transform, long outBegin, long outEnd,
                                      float *restrict scratch, float *restrict weight) {
    for (long o = outBegin; o < outEnd; o++) {
        for (long k = 0; k < taps; k++)
            combine(transform + k, taps, points, transformed + o * channels, outChannels * channels, channels, 0, scratch + k * channels);
        gankit_transpose_strided(scratch, taps, channels, channels, weight + o * channels * taps, taps);
    }
}
