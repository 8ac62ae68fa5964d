#ifndef GANKIT_CMALLOC_SHIM_H
#define GANKIT_CMALLOC_SHIM_H
// glibc's allocator tuning (mallopt), which the Glibc Swift module does not expose.
#include <malloc.h>
#endif
