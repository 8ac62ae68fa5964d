#ifndef GANKIT_KERNEL_CLONES_H
#define GANKIT_KERNEL_CLONES_H
// Shared by every kernel file: one compiled variant per instruction set, chosen when the library
// loads, and no floating-point contraction, so that every variant gives bit-identical results.

#pragma clang fp contract(off)

#if defined(__x86_64__)
#define GANKIT_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define GANKIT_CLONES
#endif

#endif
