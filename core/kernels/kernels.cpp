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

}  // namespace qs::kern
