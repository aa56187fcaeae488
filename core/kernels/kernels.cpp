#include "kernels/kernels.h"

namespace qs::kern {

const Table& table(Isa isa) {
    switch (isa) {
        case Isa::avx512vnni: return table_avx512vnni();
        case Isa::avx512: return table_avx512();
        case Isa::avx2: return table_avx2();
        case Isa::scalar: break;
    }
    return table_scalar();
}

// Measured on an Intel Xeon (family 6 model 207; decode of Qwen2.5-0.5B-shaped weights, membw,
// three alternating rounds each): with the prefetch fp16 read 10.9-11.5 GB/s against 8.8-8.9 on
// one thread, bf16 19.9-22.4 against 14.6-15.8 on two, fp32 11.4-13.8 against 11.1-11.3 on one
// and 21.2-23.6 against 16.1-20.4 on two. On an AMD EPYC (Zen 4) a prefetch run ahead of this
// stream (the int8 and int4 kernels') was 2-8% slower than the hardware prefetchers alone, so
// AMD keeps the plain stream.
bool dense_stream_prefetch() {
    static const bool on = cpu_features().vendor != "AuthenticAMD";
    return on;
}

}  // namespace qs::kern
