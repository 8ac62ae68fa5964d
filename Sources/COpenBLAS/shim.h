#ifndef GANKIT_COPENBLAS_SHIM_H
#define GANKIT_COPENBLAS_SHIM_H
// OpenBLAS's CBLAS interface (which also declares its thread control) and the one LAPACK routine
// GANKit calls. Debian's libopenblas-dev ships LAPACK inside libopenblas.
#include <cblas.h>

/// Symmetric eigendecomposition in double precision (Fortran calling convention).
void dsyev_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda,
            double *w, double *work, const int *lwork, int *info);
#endif
