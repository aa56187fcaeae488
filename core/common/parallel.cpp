#include "common/parallel.h"

#include <ATen/Parallel.h>
#include <dlfcn.h>

// ATen's parallel_for falls back to running inline when its OpenMP region is not compiled in,
// and nothing else would notice: every "2-thread" figure would then be a 1-thread figure.
#ifndef _OPENMP
#error "common/parallel.cpp must be compiled with OpenMP (see core/CMakeLists.txt)"
#endif

namespace qs {

namespace {

// OpenBLAS is reached through libtorch's BLAS dependency; its symbols are looked up at run time
// so that core does not link a particular BLAS itself.
void set_openblas_threads(int n) {
    using SetFn = void (*)(int);
    static SetFn set = reinterpret_cast<SetFn>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
    if (set) set(n);
}

}  // namespace

void set_num_threads(int n) {
    if (n < 1) n = 1;
    at::set_num_threads(n);
    set_openblas_threads(1);
}

int num_threads() { return at::get_num_threads(); }

void parallel_for(int64_t begin, int64_t end, int64_t grain,
                  const std::function<void(int64_t, int64_t)>& fn) {
    if (end <= begin) return;
    if (grain < 1) grain = 1;
    if (end - begin <= grain || at::get_num_threads() == 1 || at::in_parallel_region()) {
        fn(begin, end);
        return;
    }
    at::parallel_for(begin, end, grain, fn);
}

}  // namespace qs
