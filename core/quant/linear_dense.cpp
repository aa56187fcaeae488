// fp32 (used in place) and fp16 / bf16 (half-precision storage, FP32 activations and
// accumulation) matrices.
#include <cstring>

#include "kernels/half.h"
#include "quant/linear_common.h"
#include "quant/linear_impl.h"

namespace qs::detail {

namespace {

// The float formats read the activation rows as they are, so any two of the same width share them.
std::string float_input_kind(int64_t K) { return "float rows of " + std::to_string(K); }

class Fp32Linear final : public FormatLinear {
public:
    Fp32Linear(Buffer w, int64_t out, int64_t in) : FormatLinear(out, in), w_(std::move(w)) {}

    void forward(const float* x, int64_t m, float* y) const override {
        if (m <= 0) return;
        if (m < kGemmMinRows)
            forward_gemv(x, m, y);
        else
            sgemm_xwt(m, out_features(), in_features(), x, w_.as<float>(), in_features(), y,
                      out_features());
    }
    std::string gemv_input_kind() const override { return float_input_kind(in_features()); }
    std::unique_ptr<GemvInput> prepare_gemv(const float* x, int64_t) const override {
        return std::make_unique<FloatRows>(x);
    }
    void gemv_rows(const GemvInput& in, int64_t m, int64_t n0, int64_t n1, float* y,
                   int64_t ldy) const override {
        kern::active_table().f32_rows(w_.as<float>(), in_features(), n0, n1,
                                      static_cast<const FloatRows&>(in).x, int(m), y, ldy);
    }
    int64_t gemv_row_bytes() const override { return in_features() * 4; }
    void dequantize_row(int64_t r, float* out) const override {
        std::memcpy(out, w_.as<float>() + r * in_features(), size_t(in_features()) * 4);
    }
    int64_t weight_bytes() const override { return out_features() * in_features() * 4; }
    std::string format() const override { return "fp32"; }
    std::string describe() const override { return "fp32 weights used in place, fp32 activations"; }
    std::string kernel_name(int64_t m) const override {
        if (m < kGemmMinRows) return std::string(kern::active_table().label) + " fp32 gemv";
        return "openblas sgemm";
    }
    std::vector<StoredTensor> stored_tensors() const override {
        return {{"", "F32", {out_features(), in_features()}, w_}};
    }
    std::string spec_json() const override { return R"({"format":"fp32"})"; }

private:
    Buffer w_;
};

class HalfLinear final : public FormatLinear {
public:
    HalfLinear(Buffer w, int64_t out, int64_t in, bool bf16)
        : FormatLinear(out, in), w_(std::move(w)), bf16_(bf16) {}

    void forward(const float* x, int64_t m, float* y) const override {
        if (m <= 0) return;
        if (m < kGemmMinRows) {
            forward_gemv(x, m, y);
            return;
        }
        const int64_t K = in_features();
        const uint16_t* w = w_.as<uint16_t>();
        const kern::Table& t = kern::active_table();
        const auto conv = bf16_ ? t.bf16_to_f32 : t.f16_to_f32;
        converted_gemm(out_features(), K, x, m, y,
                       [&](int64_t n, float* dst) { conv(w + n * K, dst, K); });
    }
    std::string gemv_input_kind() const override { return float_input_kind(in_features()); }
    std::unique_ptr<GemvInput> prepare_gemv(const float* x, int64_t) const override {
        return std::make_unique<FloatRows>(x);
    }
    void gemv_rows(const GemvInput& in, int64_t m, int64_t n0, int64_t n1, float* y,
                   int64_t ldy) const override {
        const kern::Table& t = kern::active_table();
        (bf16_ ? t.bf16_rows : t.f16_rows)(w_.as<uint16_t>(), in_features(), n0, n1,
                                            static_cast<const FloatRows&>(in).x, int(m), y, ldy);
    }
    int64_t gemv_row_bytes() const override { return in_features() * 2; }
    void dequantize_row(int64_t r, float* out) const override {
        const uint16_t* w = w_.as<uint16_t>() + r * in_features();
        for (int64_t k = 0; k < in_features(); ++k)
            out[k] = bf16_ ? kern::bf16_to_f32(w[k]) : kern::f16_to_f32(w[k]);
    }
    int64_t weight_bytes() const override { return out_features() * in_features() * 2; }
    std::string format() const override { return bf16_ ? "bf16" : "fp16"; }
    std::string describe() const override {
        return std::string(bf16_ ? "bf16" : "fp16") +
               " weights (round-to-nearest-even), fp32 activations and accumulation";
    }
    std::string kernel_name(int64_t m) const override {
        const std::string label = kern::active_table().label;
        if (m < kGemmMinRows) return label + " " + format() + " gemv";
        return label + " " + format() + "->fp32 row tiles + openblas sgemm";
    }
    std::vector<StoredTensor> stored_tensors() const override {
        return {{"", bf16_ ? "BF16" : "F16", {out_features(), in_features()}, w_}};
    }
    std::string spec_json() const override {
        return bf16_ ? R"({"format":"bf16"})" : R"({"format":"fp16"})";
    }

private:
    Buffer w_;
    bool bf16_;
};

}  // namespace

std::unique_ptr<PackedLinear> fp32_from(Buffer w, int64_t out, int64_t in) {
    return std::make_unique<Fp32Linear>(std::move(w), out, in);
}
std::unique_ptr<PackedLinear> half_from(Buffer w, int64_t out, int64_t in, bool bf16) {
    return std::make_unique<HalfLinear>(std::move(w), out, in, bf16);
}

}  // namespace qs::detail
