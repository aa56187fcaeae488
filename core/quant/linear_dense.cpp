// fp32 (used in place) and fp16 / bf16 (half-precision storage, FP32 activations and
// accumulation) matrices.
#include <cstring>

#include "kernels/half.h"
#include "quant/linear_common.h"
#include "quant/linear_impl.h"

namespace qs::detail {

namespace {

class Fp32Linear final : public FormatLinear {
public:
    Fp32Linear(Buffer w, int64_t out, int64_t in) : FormatLinear(out, in), w_(std::move(w)) {}

    void forward(const float* x, int64_t m, float* y) const override {
        if (m <= 0) return;
        const int64_t N = out_features(), K = in_features();
        const float* w = w_.as<float>();
        if (m < kGemmMinRows) {
            const kern::Table& t = kern::active_table();
            parallel_rows(N, K * 4, [&](int64_t n0, int64_t n1) {
                t.f32_rows(w, K, n0, n1, x, int(m), y, N);
            });
        } else {
            sgemm_xwt(m, N, K, x, w, K, y, N);
        }
    }
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
        const int64_t N = out_features(), K = in_features();
        const uint16_t* w = w_.as<uint16_t>();
        const kern::Table& t = kern::active_table();
        const auto rows = bf16_ ? t.bf16_rows : t.f16_rows;
        const auto conv = bf16_ ? t.bf16_to_f32 : t.f16_to_f32;
        dense_forward(
            N, K, K * 2, x, m, y,
            [&](int64_t n0, int64_t n1, const float* xx, int mm, float* yy, int64_t ldy) {
                rows(w, K, n0, n1, xx, mm, yy, ldy);
            },
            [&](int64_t n, float* dst) { conv(w + n * K, dst, K); });
    }
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
