// AVX-512 F/BW/VL/DQ kernels without VNNI (int8 dot products via vpmaddubsw + vpmaddwd).
#define QS_VNNI 0
#include "kernels/avx512_impl.h"
