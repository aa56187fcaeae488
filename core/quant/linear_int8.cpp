// int8 per-output-channel symmetric weights: weight-only (FP32 activations, dequantized in the
// kernel) and dynamic (W8A8: activations quantized per token at run time, int32 accumulation).
#include <vector>

#include "quant/linear_common.h"
#include "quant/linear_impl.h"

namespace qs::detail {

namespace {

// Activation rows quantized to int8 (kI8Align-padded rows) and their scales.
struct Int8Rows final : GemvInput {
    Int8Rows(int64_t rows, int64_t stride)
        : q(size_t(rows * stride)), scale(size_t(rows)), stride(stride) {}
    int8_t* row(int64_t r) const { return q.get() + r * stride; }
    Scratch<int8_t> q;
    Scratch<float> scale;
    int64_t stride;
};

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
        if (m < kGemmMinRows)
            forward_gemv(x, m, y);
        else if (mode_ == Int8Mode::weight_only)
            gemm_weight_only(x, m, y);
        else
            gemm_dynamic(x, m, y);
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

    // The GEMV input: int8 rows with their scales, three planes per row for weight-only (see
    // kern::Table::split_i8x3), one per row for dynamic.
    std::string gemv_input_kind() const override {
        return std::string(mode_ == Int8Mode::weight_only ? "int8 x3 planes" : "int8 rows") +
               " of " + std::to_string(in_features());
    }
    std::unique_ptr<GemvInput> prepare_gemv(const float* x, int64_t m) const override {
        const int64_t K = in_features();
        const kern::Table& t = kern::active_table();
        const int64_t planes = mode_ == Int8Mode::weight_only ? 3 : 1;
        auto in = std::make_unique<Int8Rows>(m * planes, kern::i8_row_stride(K));
        for (int64_t a = 0; a < m; ++a) {
            if (mode_ == Int8Mode::weight_only)
                t.split_i8x3(x + a * K, K, in->row(3 * a), in->scale.get() + 3 * a);
            else
                in->scale.get()[a] = t.quantize_i8(x + a * K, K, in->row(a));
        }
        return in;
    }
    void gemv_rows(const GemvInput& input, int64_t m, int64_t n0, int64_t n1, float* y,
                   int64_t ldy) const override {
        const auto& in = static_cast<const Int8Rows&>(input);
        const kern::Table& t = kern::active_table();
        (mode_ == Int8Mode::weight_only ? t.i8w_rows : t.i8d_rows)(
            q_.as<int8_t>(), scale_.as<float>(), wsum_.data(), in_features(), n0, n1,
            in.q.get(), in.scale.get(), int(m), y, ldy);
    }
    int64_t gemv_row_bytes() const override { return in_features(); }

private:
    void gemm_weight_only(const float* x, int64_t m, float* y) const {
        const int64_t K = in_features();
        const int8_t* w = q_.as<int8_t>();
        const float* s = scale_.as<float>();
        const kern::Table& t = kern::active_table();
        converted_gemm(out_features(), K, x, m, y,
                       [&](int64_t n, float* dst) { t.i8_to_f32(w + n * K, s[n], dst, K); });
    }

    void gemm_dynamic(const float* x, int64_t m, float* y) const {
        const int64_t N = out_features(), K = in_features();
        const int8_t* w = q_.as<int8_t>();
        const float* ws = scale_.as<float>();
        const int32_t* wsum = wsum_.data();
        const kern::Table& t = kern::active_table();
        const int64_t stride = kern::i8_row_stride(K);
        Scratch<float> sx{size_t(m)};
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
