// AVX-512 kernels with VNNI: int8 dot products with vpdpbusd.
#define QS_VNNI 1
#include "kernels/avx512_impl.h"
