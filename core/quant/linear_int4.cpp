// int4 group-wise weights (two per byte, fp16 scale and optional fp16 minimum per group),
// multiplied with activations quantized to int8 per block of 32 at run time (llama.cpp's
// Q4 x Q8 scheme): integer dot products per sub-block, scales applied in FP32.
#include <cstring>

#include "kernels/half.h"
#include "quant/int4_format.h"
#include "quant/linear_common.h"
#include "quant/linear_impl.h"

namespace qs::detail {

namespace {

// Activation rows quantized per block of 32, in one aligned allocation.
class Q8Rows {
public:
    Q8Rows(int64_t m, int64_t blocks)
        : sbs_(kern::q8_superblocks(blocks)), buf_(size_t(m * row_bytes())) {}
    kern::Q8Row row(int64_t a) const {
        uint8_t* base = buf_.get() + a * row_bytes();
        auto* f = reinterpret_cast<float*>(base + sbs_ * 512);
        return {reinterpret_cast<int8_t*>(base), f, f + sbs_ * 16};
    }

private:
    int64_t row_bytes() const { return sbs_ * (512 + 2 * 16 * 4); }
    int64_t sbs_;
    Scratch<uint8_t> buf_;
};

// The GEMV input: up to kMaxRows quantized activation rows.
struct Q8Input final : GemvInput {
    Q8Input(int64_t m, int64_t blocks) : acts(m, blocks) {}
    Q8Rows acts;
    kern::Q8Row rows[kern::kMaxRows];
};

// The runtime layout (kern::Int4View), each row's nibbles, scales and minimums side by side,
// built from the saved tensors: `count` arrays of width[i] bytes a row, out rows each.
Buffer interleave_rows(const Buffer* parts, const int64_t* width, int count, int64_t out) {
    int64_t stride = 0;
    for (int i = 0; i < count; ++i) stride += width[i];
    Buffer rows = Buffer::allocate_for_overwrite(size_t(out * stride));
    uint8_t* dst = rows.mutable_as<uint8_t>();
    for (int64_t n = 0; n < out; ++n)
        for (int i = 0, offset = 0; i < count; offset += int(width[i]), ++i)
            std::memcpy(dst + n * stride + offset, parts[i].as<uint8_t>() + n * width[i],
                        size_t(width[i]));
    return rows;
}

// The inverse for saving: bytes [offset, offset + width) of every row, as one array.
Buffer rows_column(const Buffer& rows, int64_t out, int64_t stride, int64_t offset,
                   int64_t width) {
    Buffer column = Buffer::allocate_for_overwrite(size_t(out * width));
    for (int64_t n = 0; n < out; ++n)
        std::memcpy(column.mutable_as<uint8_t>() + n * width,
                    rows.as<uint8_t>() + n * stride + offset, size_t(width));
    return column;
}

class Int4Linear final : public FormatLinear {
public:
    Int4Linear(const Buffer& q, const Buffer& scale, const Buffer& min, int64_t out, int64_t in,
               const Int4Options& o)
        : FormatLinear(out, in),
          opt_(o),
          blocks_(int4_padded_k(in, o.group_size) / 32),
          groups_(int4_padded_k(in, o.group_size) / o.group_size),
          stride_(kern::int4_row_stride(blocks_, groups_, asymmetric())) {
        const Buffer parts[] = {q, scale, min};
        const int64_t width[] = {blocks_ * 16, groups_ * 2, groups_ * 2};
        rows_ = interleave_rows(parts, width, asymmetric() ? 3 : 2, out);
    }

    void forward(const float* x, int64_t m, float* y) const override {
        if (m <= 0) return;
        if (m < kGemmMinRows) {
            forward_gemv(x, m, y);
            return;
        }
        const int64_t N = out_features(), K = in_features();
        const kern::Table& t = kern::active_table();
        const kern::Int4View w = view();
        const bool sym = opt_.scheme == Int4Scheme::symmetric;
        const int64_t row_bytes = gemv_row_bytes();
        Q8Rows acts(m, blocks_);
        parallel_for(0, m, 4, [&](int64_t a0, int64_t a1) {
            for (int64_t a = a0; a < a1; ++a) t.quantize_q8(x + a * K, K, blocks_, sym, acts.row(a));
        });
        // Blocks of weight rows small enough to stay in L1 while every activation row passes.
        int64_t nb = (int64_t(16) << 10) / row_bytes;
        nb = nb < 4 ? 4 : nb;
        parallel_rows(N, row_bytes * m, [&](int64_t n0, int64_t n1) {
            for (int64_t b0 = n0; b0 < n1; b0 += nb) {
                const int64_t b1 = b0 + nb < n1 ? b0 + nb : n1;
                for (int64_t a = 0; a < m; a += kern::kMaxRows) {
                    const int r = int(m - a < kern::kMaxRows ? m - a : kern::kMaxRows);
                    kern::Q8Row rr[kern::kMaxRows];
                    for (int i = 0; i < r; ++i) rr[i] = acts.row(a + i);
                    t.i4_rows(w, b0, b1, rr, r, y + a * N, N);
                }
            }
        });
    }

    void dequantize_row(int64_t r, float* out) const override {
        const kern::Int4View w = view();
        const uint8_t* q = w.q(r);
        const uint16_t *s = w.scale(r), *mn = w.min(r);
        for (int64_t k = 0; k < in_features(); ++k) {
            bool high = false;
            const uint8_t byte = q[int4_byte(blocks_, k, high)];
            const int u = high ? byte >> 4 : byte & 15;
            const int64_t g = k / opt_.group_size;
            const float sc = kern::f16_to_f32(s[g]);
            out[k] = mn ? float(u) * sc + kern::f16_to_f32(mn[g]) : float(u - 8) * sc;
        }
    }
    int64_t weight_bytes() const override {
        return int64_t(rows_.bytes);
    }
    std::string format() const override { return "int4"; }
    std::string describe() const override {
        const bool sym = opt_.scheme == Int4Scheme::symmetric;
        return std::string("int4 ") + (sym ? "symmetric" : "asymmetric") + " g" +
               std::to_string(opt_.group_size) + ", fp16 " + (sym ? "scale" : "scale+min") +
               (opt_.scale_search ? ", scale search" : ", round-to-nearest") +
               "; activations int8 per 32-block at run time";
    }
    std::string kernel_name(int64_t m) const override {
        return std::string(kern::active_table().label) +
               (m < kGemmMinRows ? " int4 gemv" : " int4 gemm") +
               " (activations int8 per 32-block)";
    }
    // The saved layout, one array per tensor: copies, held while the model is written.
    std::vector<StoredTensor> stored_tensors() const override {
        const int64_t n = out_features(), q_bytes = blocks_ * 16, sm_bytes = groups_ * 2;
        std::vector<StoredTensor> t = {
            {"", "U8", {n, q_bytes}, rows_column(rows_, n, stride_, 0, q_bytes)},
            {".scale", "F16", {n, groups_}, rows_column(rows_, n, stride_, q_bytes, sm_bytes)},
        };
        if (asymmetric())
            t.push_back({".min", "F16", {n, groups_},
                         rows_column(rows_, n, stride_, q_bytes + sm_bytes, sm_bytes)});
        return t;
    }
    std::string spec_json() const override {
        return std::string(R"({"format":"int4","group_size":)") +
               std::to_string(opt_.group_size) + R"(,"scheme":")" +
               (opt_.scheme == Int4Scheme::symmetric ? "symmetric" : "asymmetric") +
               R"(","scale_search":)" + (opt_.scale_search ? "true" : "false") +
               R"(,"layout":"sb16-v1"})";
    }

    // The GEMV input: activation rows quantized per 32-block, which depends on the scheme.
    std::string gemv_input_kind() const override {
        return std::string("q8 rows, ") +
               (opt_.scheme == Int4Scheme::symmetric ? "symmetric" : "asymmetric") + ", " +
               std::to_string(blocks_) + " blocks";
    }
    std::unique_ptr<GemvInput> prepare_gemv(const float* x, int64_t m) const override {
        auto in = std::make_unique<Q8Input>(m, blocks_);
        const kern::Table& t = kern::active_table();
        for (int64_t a = 0; a < m; ++a) {
            in->rows[a] = in->acts.row(a);
            t.quantize_q8(x + a * in_features(), in_features(), blocks_,
                          opt_.scheme == Int4Scheme::symmetric, in->rows[a]);
        }
        return in;
    }
    void gemv_rows(const GemvInput& in, int64_t m, int64_t n0, int64_t n1, float* y,
                   int64_t ldy) const override {
        kern::active_table().i4_rows(view(), n0, n1, static_cast<const Q8Input&>(in).rows,
                                     int(m), y, ldy);
    }
    int64_t gemv_row_bytes() const override {
        return stride_;
    }

private:
    kern::Int4View view() const {
        return {rows_.as<uint8_t>(), stride_, blocks_, groups_, opt_.group_size, asymmetric()};
    }
    bool asymmetric() const { return opt_.scheme == Int4Scheme::asymmetric; }

    Int4Options opt_;
    int64_t blocks_, groups_, stride_;
    Buffer rows_;
};

}  // namespace

std::unique_ptr<PackedLinear> int4_from(Buffer q, Buffer scale, Buffer min, int64_t out,
                                        int64_t in, const Int4Options& options) {
    return std::make_unique<Int4Linear>(q, scale, min, out, in, options);
}

}  // namespace qs::detail
