// int8 per-output-channel symmetric weights: weight-only (FP32 activations, dequantized in the
// kernel) and dynamic (W8A8: activations quantized per token at run time, int32 accumulation).
#include <vector>

#include "quant/linear_common.h"
#include "quant/linear_impl.h"

namespace qs::detail {

namespace {

class Int8Linear final : public FormatLinear {
public:
    Int8Linear(Buffer q, Buffer scale, int64_t out, int64_t in, Int8Mode mode)
        : FormatLinear(out, in), q_(std::move(q)), scale_(std::move(scale)), mode_(mode) {
        // Row sums of the stored codes, for the u8-offset trick of vpdpbusd. Derived from the
        // stored int8 values only, so a reloaded matrix gets the same sums.
        wsum_.resize(size_t(out));
        const int8_t* w = q_.as<int8_t>();
        parallel_for(0, out, 256, [&](int64_t n0, int64_t n1) {
            for (int64_t n = n0; n < n1; ++n) {
                int32_t s = 0;
                for (int64_t k = 0; k < in; ++k) s += w[n * in + k];
                wsum_[size_t(n)] = s;
            }
        });
    }

    void forward(const float* x, int64_t m, float* y) const override {
        if (m <= 0) return;
        if (mode_ == Int8Mode::weight_only)
            forward_weight_only(x, m, y);
        else
            forward_dynamic(x, m, y);
    }

    void dequantize_row(int64_t r, float* out) const override {
        const int8_t* w = q_.as<int8_t>() + r * in_features();
        const float s = scale_.as<float>()[r];
        for (int64_t k = 0; k < in_features(); ++k) out[k] = float(w[k]) * s;
    }
    int64_t weight_bytes() const override { return out_features() * (in_features() + 4); }
    std::string format() const override { return "int8"; }
    std::string describe() const override {
        std::string d = "int8 symmetric per output channel, fp32 scale; ";
        if (mode_ == Int8Mode::weight_only)
            return d + "fp32 activations (exact to 2^-24 of the token's max |x| as three int8 "
                       "planes), int32 accumulation";
        return d + "activations int8 per token at run time, int32 accumulation";
    }
    std::string kernel_name(int64_t m) const override {
        const std::string label = kern::active_table().label;
        if (mode_ == Int8Mode::weight_only)
            return m < kGemmMinRows ? label + " int8 gemv (fp32 activations as 3 int8 planes)"
                                    : label + " int8->fp32 row tiles + openblas sgemm";
        return label + (m < kGemmMinRows ? " int8 gemv" : " int8 gemm") +
               " (activations int8 per token)";
    }
    std::vector<StoredTensor> stored_tensors() const override {
        return {{"", "I8", {out_features(), in_features()}, q_},
                {".scale", "F32", {out_features()}, scale_}};
    }
    std::string spec_json() const override {
        return mode_ == Int8Mode::weight_only ? R"({"format":"int8","mode":"weight_only"})"
                                              : R"({"format":"int8","mode":"dynamic"})";
    }

private:
    void forward_weight_only(const float* x, int64_t m, float* y) const {
        const int64_t N = out_features(), K = in_features();
        const int8_t* w = q_.as<int8_t>();
        const float* s = scale_.as<float>();
        const kern::Table& t = kern::active_table();
        if (m >= kGemmMinRows) {
            converted_gemm(N, K, x, m, y,
                           [&](int64_t n, float* dst) { t.i8_to_f32(w + n * K, s[n], dst, K); });
            return;
        }
        const int64_t stride = kern::i8_row_stride(K);
        Scratch<int8_t> q{size_t(3 * m * stride)};
        Scratch<float> sx{size_t(3 * m)};
        for (int64_t a = 0; a < m; ++a)
            t.split_i8x3(x + a * K, K, q.get() + 3 * a * stride, sx.get() + 3 * a);
        parallel_rows(N, K, [&](int64_t n0, int64_t n1) {
            t.i8w_rows(w, s, wsum_.data(), K, n0, n1, q.get(), sx.get(), int(m), y, N);
        });
    }

    void forward_dynamic(const float* x, int64_t m, float* y) const {
        const int64_t N = out_features(), K = in_features();
        const int8_t* w = q_.as<int8_t>();
        const float* ws = scale_.as<float>();
        const int32_t* wsum = wsum_.data();
        const kern::Table& t = kern::active_table();
        const int64_t stride = kern::i8_row_stride(K);
        Scratch<float> sx{size_t(m)};
        if (m < kGemmMinRows) {
            Scratch<int8_t> q{size_t(m * stride)};
            for (int64_t a = 0; a < m; ++a)
                sx.get()[a] = t.quantize_i8(x + a * K, K, q.get() + a * stride);
            parallel_rows(N, K, [&](int64_t n0, int64_t n1) {
                t.i8d_rows(w, ws, wsum, K, n0, n1, q.get(), sx.get(), int(m), y, N);
            });
            return;
        }
        // Quantize and pack in chunks of 16 rows (a whole number of panels on every ISA).
        Scratch<uint8_t> packed(t.i8d_packed_bytes(m, K));
        parallel_for(0, (m + 15) / 16, 1, [&](int64_t c0, int64_t c1) {
            Scratch<int8_t> q{size_t(16 * stride)};
            for (int64_t c = c0; c < c1; ++c) {
                const int64_t r0 = c * 16, rows = m - r0 < 16 ? m - r0 : 16;
                for (int64_t a = 0; a < rows; ++a)
                    sx.get()[r0 + a] = t.quantize_i8(x + (r0 + a) * K, K, q.get() + a * stride);
                t.i8d_pack(q.get(), rows, K, packed.get() + t.i8d_packed_bytes(r0, K));
            }
        });
        parallel_rows(N, K * m, [&](int64_t n0, int64_t n1) {
            t.i8d_gemm(w, ws, wsum, K, n0, n1, packed.get(), sx.get(), m, y, N);
        });
    }

    Buffer q_, scale_;
    Int8Mode mode_;
    std::vector<int32_t> wsum_;
};

}  // namespace

std::unique_ptr<PackedLinear> int8_from(Buffer q, Buffer scale, int64_t out, int64_t in,
                                        Int8Mode mode) {
    return std::make_unique<Int8Linear>(std::move(q), std::move(scale), out, in, mode);
}

}  // namespace qs::detail
