#include "vector_kernels.h"
#include "kernel_clones.h"

// Elementwise loops on the path of every MLP layer: the compiler vectorises them at the width of
// each clone, which Swift's baseline build cannot.

GANKIT_CLONES
void gankit_leaky_relu(const float *restrict x, long count, float slope, float *restrict y) {
    for (long i = 0; i < count; i++) y[i] = x[i] > 0 ? x[i] : slope * x[i];
}

GANKIT_CLONES
void gankit_leaky_relu_backward(const float *restrict gradient, const float *restrict x, long count, float slope,
                                float *restrict out) {
    for (long i = 0; i < count; i++) out[i] = x[i] > 0 ? gradient[i] : slope * gradient[i];
}

GANKIT_CLONES
void gankit_add_column_sums(const float *restrict x, long rows, long columns, float *restrict sums) {
    for (long r = 0; r < rows; r++) {
        const float *row = x + r * columns;
        for (long c = 0; c < columns; c++) sums[c] += row[c];
    }
}

GANKIT_CLONES
void gankit_add_scaled(float *restrict y, const float *restrict x, long count, float alpha) {
    for (long i = 0; i < count; i++) y[i] += alpha * x[i];
}
