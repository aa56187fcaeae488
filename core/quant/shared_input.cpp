// The GEMV driver of the formats, for one matrix (FormatLinear::forward_gemv) and for several
// matrices that read the same activations (forward_shared_input).
#include <algorithm>
#include <vector>

#include "quant/linear_common.h"
#include "quant/linear_impl.h"

namespace qs {

namespace detail {

void FormatLinear::forward_gemv(const float* x, int64_t m, float* y) const {
    const int64_t N = out_features();
    const std::unique_ptr<GemvInput> in = prepare_gemv(x, m);
    parallel_rows(N, gemv_row_bytes(), [&](int64_t n0, int64_t n1) {
        gemv_rows(*in, m, n0, n1, y, N);
    });
}

}  // namespace detail

void forward_shared_input(const float* x, int64_t m, std::initializer_list<LinearOutput> outputs) {
    using detail::FormatLinear;
    std::vector<const FormatLinear*> formats;
    bool shared = m > 0 && m < detail::kGemmMinRows && outputs.size() > 1;
    for (const LinearOutput& o : outputs) {
        formats.push_back(dynamic_cast<const FormatLinear*>(o.linear));
        shared = shared && formats.back() &&
                 formats.back()->gemv_input_kind() == formats.front()->gemv_input_kind();
    }
    if (!shared) {
        for (const LinearOutput& o : outputs) o.linear->forward(x, m, o.y);
        return;
    }
    const std::unique_ptr<detail::GemvInput> in = formats.front()->prepare_gemv(x, m);
    // The matrices' output rows side by side, split over the threads as one matrix.
    int64_t total = 0, row_bytes = 0;
    for (const FormatLinear* f : formats) {
        total += f->out_features();
        row_bytes = std::max(row_bytes, f->gemv_row_bytes());
    }
    detail::parallel_rows(total, row_bytes, [&](int64_t n0, int64_t n1) {
        int64_t offset = 0;
        size_t i = 0;
        for (const LinearOutput& o : outputs) {
            const int64_t N = formats[i++]->out_features();
            const int64_t lo = std::max(n0, offset), hi = std::min(n1, offset + N);
            if (lo < hi) formats[i - 1]->gemv_rows(*in, m, lo - offset, hi - offset, o.y, N);
            offset += N;
        }
    });
}

}  // namespace qs
