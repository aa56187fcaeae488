// Every kernel of every instruction-set table this CPU can run, against plain double-precision
// references computed here from the same stored values (so the bounds are tight), on odd shapes
// (K = 1, 3, 31, 33, 100, 257, 600, 1024; N = 1, 17; 1..kMaxRows activation rows and GEMM row
// counts). Unsupported tables are skipped with a message. u = 2^-24 (unit roundoff of float).
//
// Bounds used:
// - FP32-accumulating GEMV (fp32, fp16, bf16 weights; conversions are exact): any summation
//   order of K products gives |y - ref| <= gamma_K * sum_k |w_k x_k|, gamma_K = K u / (1 - K u).
// - int8 weight-only: each activation row is split into three int8 planes, which must be the
//   scalar table's bits, unsaturated, and give back x_k within 0.51 of the last plane's step
//   (half a step plus the roundings of x / s). The int sums are exact; combined lane by lane in
//   float (AVX-512) the result is within C = 9u scale sum_p s_p sum_k |w_k| (|q_pk| + 128) + u|y|
//   of the exact combination (up to four roundings per lane, its conversion included, and four
//   in the 16-lane reduction, each relative to magnitudes that include the u8 offset of 128),
//   and against FP32 activations within 0.51 step * sum_k |w_k scale| + 2u |y| + C (also with
//   an outlier activation). With small codes and power-of-two scales every partial sum is
//   exact, so there every table must give the exact combination bit for bit.
// - int8 dynamic: the int32 sum is exact and the result is float(s) * (sx * wscale), so it must
//   equal that expression bit for bit; against the unquantized activations the error is at most
//   sum_k |w_k wscale| * (sx/2 + 4u|x_k|) (rounding to the nearest code, inexact 127/amax).
// - int4 x Q8: per sub-block the integer sum is exact; a few float operations per sub-block and
//   a summation over `blocks` terms give |y - ref| <= (blocks + 6) u * sum |terms|.
// - Quantizers (quantize_w8, quantize_i8, quantize_q8): exact hand-computed codes, including
//   round-half-to-even ties, and bit-identical results on every table.
// - silu_mul: against silu(g) * u in double, |y - ref| <= 8 u |ref| + 2^-120 |u| (expf, the
//   polynomial exp and three float operations each within a few ulp; the absolute part covers
//   |g| > 88, where silu is below 1e-36), over g in [-120, 120] and special values.
// - attend: against softmax and weighted sum in double. A score's error is at most
//   gamma_d * sum_i |q_i k_ti| (the GEMV bound) plus u of its value, so each weight p_t is off by
//   a relative 2 * scale * that (its own score and the max) plus exp, sum and normalisation
//   roundings ((count + 16) u); the weighted sum adds gamma_count. Bound per output:
//   (2 * scale * gamma_d * max_t sum_i |q_i k_ti| + 2 u max|x| + (2 count + 16) u) * sum_t p_t |v_ti|,
//   doubled for second-order terms. Shapes: g = 1..8 heads, d = 8, 12, 64, 80, count = 1..300.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <vector>

#include "kernels/cpu_features.h"
#include "kernels/half.h"
#include "kernels/kernels.h"
#include "quant/int4_format.h"

using namespace qs;
using kern::Table;

namespace {

constexpr double kU = 1.0 / 16777216.0;  // 2^-24
const int64_t kKs[] = {1, 3, 31, 33, 100, 257, 600, 1024};
const int64_t kNs[] = {1, 17};

double gamma_n(int64_t n) { return double(n) * kU / (1.0 - double(n) * kU); }

// 64-byte aligned zeroed array (the SIMD kernels use aligned loads on Q8 rows).
template <class T>
struct Aligned {
    explicit Aligned(size_t n) : n(n) {
        const size_t bytes = (n * sizeof(T) + 63) / 64 * 64 + 64;
        p.reset(static_cast<T*>(std::aligned_alloc(64, bytes)));
        std::memset(p.get(), 0, bytes);
    }
    T* get() const { return p.get(); }
    T& operator[](size_t i) const { return p.get()[i]; }
    size_t n;
    std::unique_ptr<T, decltype([](T* q) { std::free(q); })> p;
};

std::vector<float> random_floats(std::mt19937& rng, size_t n, float lo = -1, float hi = 1) {
    std::uniform_real_distribution<float> d(lo, hi);
    std::vector<float> v(n);
    for (float& f : v) f = d(rng);
    return v;
}

// Hand rule for round-half-to-even of a value that is exactly an integer + 0.5 or an integer.
int half_even(double v) {
    const double f = std::floor(v);
    if (v - f != 0.5) return int(std::lround(v));
    return (int64_t(f) % 2 == 0) ? int(f) : int(f) + 1;
}

// Element e (0..31) of sub-block b in a Q8 super-block (kernels.h: byte 4b + t of vector i is
// element 4i + t of sub-block b).
int64_t q8_index(int64_t blk, int64_t e) {
    return (blk / 16) * 512 + (e / 4) * 64 + 4 * (blk % 16) + e % 4;
}

struct Q8Buf {
    Q8Buf(int64_t blocks)
        : sbs(kern::q8_superblocks(blocks)), q(static_cast<size_t>(sbs * 512)), d(static_cast<size_t>(sbs * 16)),
          c(static_cast<size_t>(sbs * 16)) {}
    kern::Q8Row row() const { return {q.get(), d.get(), c.get()}; }
    int64_t sbs;
    Aligned<int8_t> q;
    Aligned<float> d, c;
};

}  // namespace

// Data-driven over the four tables; rows the CPU cannot run are skipped with a message.
#define ISA_DATA()                                                                     \
    QTest::addColumn<int>("isa");                                                      \
    for (Isa i : {Isa::scalar, Isa::avx2, Isa::avx512, Isa::avx512vnni})               \
        QTest::newRow(isa_name(i).c_str()) << int(i);

#define FETCH_TABLE(t)                                                                    \
    QFETCH(int, isa);                                                                     \
    if (!isa_supported(Isa(isa)))                                                         \
        QSKIP(qPrintable(QString::fromStdString(isa_name(Isa(isa))) +                     \
                         " kernels not tested: this CPU does not support them"));         \
    const Table& t = kern::table(Isa(isa));                                               \
    QCOMPARE(int(t.isa), isa);

class KernelsTest : public QObject {
    Q_OBJECT
private slots:
    // ---- half conversions: hand-computed bit patterns (round to nearest, ties to even)
    void halfConversionsByHand() {
        QCOMPARE(kern::f32_to_f16(1.0f), uint16_t(0x3c00));
        QCOMPARE(kern::f32_to_f16(-2.0f), uint16_t(0xc000));
        QCOMPARE(kern::f32_to_f16(65504.0f), uint16_t(0x7bff));
        QCOMPARE(kern::f32_to_f16(65520.0f), uint16_t(0x7c00));  // rounds up to inf
        QCOMPARE(kern::f32_to_f16(1.0f + std::ldexp(1.0f, -11)), uint16_t(0x3c00));  // tie, even
        QCOMPARE(kern::f32_to_f16(1.0f + 3 * std::ldexp(1.0f, -11)), uint16_t(0x3c02));
        QCOMPARE(kern::f32_to_f16(std::ldexp(1.0f, -24)), uint16_t(0x0001));  // min subnormal
        QCOMPARE(kern::f32_to_f16(std::ldexp(1.0f, -25)), uint16_t(0x0000));  // tie to zero
        QCOMPARE(kern::f32_to_f16(3 * std::ldexp(1.0f, -25)), uint16_t(0x0002));  // 1.5 -> 2
        QCOMPARE(kern::f16_to_f32(0x0001), std::ldexp(1.0f, -24));
        QCOMPARE(kern::f16_to_f32(0x3555), 0x155 / 1024.0f * 0.25f + 0.25f);
        QCOMPARE(kern::f32_to_bf16(1.0f + std::ldexp(1.0f, -8)), uint16_t(0x3f80));  // tie
        QCOMPARE(kern::f32_to_bf16(1.0f + 3 * std::ldexp(1.0f, -8)), uint16_t(0x3f82));
        QCOMPARE(kern::bf16_to_f32(0xc040), -3.0f);
    }

    void siluMul_data() { ISA_DATA(); }
    void siluMul() {
        FETCH_TABLE(t);
        std::vector<float> g;
        for (int i = -12000; i <= 12000; ++i) g.push_back(float(i) * 0.01f);  // [-120, 120]
        for (float v : {0.0f, -0.0f, 1e-30f, -1e-30f, 1e-45f, 88.0f, 88.5f, -88.5f, 88.8f, -88.8f,
                        -87.3f, -87.4f, 1e38f, -1e38f})
            g.push_back(v);
        std::mt19937 rng(7);
        const std::vector<float> u = random_floats(rng, g.size(), -2, 2);
        for (size_t n : {g.size(), size_t(1), size_t(7), size_t(8), size_t(15), size_t(17)}) {
            // The last n inputs (the special values included), plus a guard value past the end.
            std::vector<float> y(g.end() - ptrdiff_t(n), g.end());
            y.push_back(-7.0f);
            const float* up = u.data() + (u.size() - n);
            t.silu_mul(y.data(), up, int64_t(n));
            for (size_t i = 0; i < n; ++i) {
                const double gi = g[g.size() - n + i], ui = up[i];
                const double ref = gi / (1.0 + std::exp(-gi)) * ui;
                const double err = std::fabs(double(y[i]) - ref);
                if (!(err <= 8 * kU * std::fabs(ref) + std::ldexp(std::fabs(ui), -120)))
                    QFAIL(qPrintable(QString("silu(%1) * %2 = %3, expected %4")
                                         .arg(gi, 0, 'g', 9).arg(ui, 0, 'g', 9)
                                         .arg(double(y[i]), 0, 'g', 9).arg(ref, 0, 'g', 9)));
            }
            QCOMPARE(y[n], -7.0f);  // nothing written past n
        }
        // libm's conventions at the ends: silu(+inf) = inf, silu(-inf) = -inf / inf = NaN, NaN
        // stays NaN.
        float ends[3] = {INFINITY, -INFINITY, NAN};
        const float ones[3] = {1, 1, 1};
        t.silu_mul(ends, ones, 3);
        QCOMPARE(ends[0], float(INFINITY));
        QVERIFY(std::isnan(ends[1]));
        QVERIFY(std::isnan(ends[2]));
    }

    void attend_data() { ISA_DATA(); }
    void attend() {
        FETCH_TABLE(t);
        std::mt19937 rng(11);
        for (int64_t g : {1, 2, 3, 5, 7, 8})
            for (int64_t d : {8, 12, 64, 80})
                for (int64_t count : {1, 2, 15, 17, 33, 300}) {
                    const std::vector<float> q = random_floats(rng, size_t(g * d), -2, 2);
                    const std::vector<float> k = random_floats(rng, size_t(count * d));
                    const std::vector<float> v = random_floats(rng, size_t(count * d), -3, 3);
                    const float scale = 1.0f / std::sqrt(float(d));
                    std::vector<float> scratch(size_t(g * count)), out(size_t(g * d) + 1, -7.0f);
                    t.attend(q.data(), g, k.data(), v.data(), count, d, scale, scratch.data(), out.data());
                    QCOMPARE(out[size_t(g * d)], -7.0f);  // nothing written past g * d
                    for (int64_t j = 0; j < g; ++j) {
                        std::vector<double> x(static_cast<size_t>(count)), p(static_cast<size_t>(count));
                        double max_x = -INFINITY, max_abs_qk = 0, max_abs_x = 0, sum = 0;
                        for (int64_t tt = 0; tt < count; ++tt) {
                            double dot = 0, abs_dot = 0;
                            for (int64_t i = 0; i < d; ++i) {
                                const double prod = double(q[size_t(j * d + i)]) * k[size_t(tt * d + i)];
                                dot += prod;
                                abs_dot += std::fabs(prod);
                            }
                            x[size_t(tt)] = double(scale) * dot;
                            max_x = std::max(max_x, x[size_t(tt)]);
                            max_abs_x = std::max(max_abs_x, std::fabs(x[size_t(tt)]));
                            max_abs_qk = std::max(max_abs_qk, abs_dot);
                        }
                        for (int64_t tt = 0; tt < count; ++tt) sum += p[size_t(tt)] = std::exp(x[size_t(tt)] - max_x);
                        const double rel = 2 * (2 * double(scale) * gamma_n(d) * max_abs_qk +
                                                2 * kU * max_abs_x + double(2 * count + 16) * kU);
                        for (int64_t i = 0; i < d; ++i) {
                            double ref = 0, mag = 0;
                            for (int64_t tt = 0; tt < count; ++tt) {
                                ref += p[size_t(tt)] / sum * v[size_t(tt * d + i)];
                                mag += p[size_t(tt)] / sum * std::fabs(v[size_t(tt * d + i)]);
                            }
                            const double got = out[size_t(j * d + i)];
                            if (!(std::fabs(got - ref) <= rel * mag))
                                QFAIL(qPrintable(QString("g=%1 d=%2 count=%3: head %4 column %5 = %6, expected %7 (bound %8)")
                                                     .arg(g).arg(d).arg(count).arg(j).arg(i)
                                                     .arg(got, 0, 'g', 9).arg(ref, 0, 'g', 9).arg(rel * mag, 0, 'g', 3)));
                        }
                    }
                }
    }

    void conversions_data() { ISA_DATA(); }
    void conversions() {
        FETCH_TABLE(t);
        // Every fp16 / bf16 pattern converts exactly as half.h (NaNs only need to stay NaN).
        std::vector<uint16_t> all(65536);
        for (int i = 0; i < 65536; ++i) all[size_t(i)] = uint16_t(i);
        for (int64_t n : {int64_t(65536), int64_t(1), int64_t(13), int64_t(33)}) {
            std::vector<float> f16(static_cast<size_t>(n) + 1, -7.0f), bf(static_cast<size_t>(n) + 1, -7.0f);
            t.f16_to_f32(all.data() + 65536 - n, f16.data(), n);
            t.bf16_to_f32(all.data() + 65536 - n, bf.data(), n);
            for (int64_t i = 0; i < n; ++i) {
                const uint16_t h = all[size_t(65536 - n + i)];
                const float e16 = kern::f16_to_f32(h), eb = kern::bf16_to_f32(h);
                if (std::isnan(e16)) QVERIFY(std::isnan(f16[size_t(i)]));
                else QCOMPARE(kern::f32_bits(f16[size_t(i)]), kern::f32_bits(e16));
                if (std::isnan(eb)) QVERIFY(std::isnan(bf[size_t(i)]));
                else QCOMPARE(kern::f32_bits(bf[size_t(i)]), kern::f32_bits(eb));
            }
            QCOMPARE(f16[size_t(n)], -7.0f);  // nothing written past n
            QCOMPARE(bf[size_t(n)], -7.0f);
        }
        // int8 -> float: float(q) * scale, one rounding, exact expression.
        std::vector<int8_t> q(300);
        for (size_t i = 0; i < q.size(); ++i) q[i] = int8_t(int(i * 37 % 255) - 127);
        for (int64_t n : {int64_t(1), int64_t(17), int64_t(300)}) {
            std::vector<float> out(static_cast<size_t>(n) + 1, -7.0f);
            t.i8_to_f32(q.data(), 0.0123f, out.data(), n);
            for (int64_t i = 0; i < n; ++i) QCOMPARE(out[size_t(i)], float(q[size_t(i)]) * 0.0123f);
            QCOMPARE(out[size_t(n)], -7.0f);
        }
    }

    // ---- quantizers: hand-computed codes
    void quantizeW8_data() { ISA_DATA(); }
    void quantizeW8() {
        FETCH_TABLE(t);
        // max |w| = 127 makes the scale exactly 1, so the codes are the rounded values
        // themselves: ties go to the even neighbour, in the SIMD body and in the tail.
        for (int64_t K : {int64_t(9), int64_t(37), int64_t(70)}) {
            std::vector<float> w(static_cast<size_t>(K));
            for (int64_t k = 0; k < K; ++k) w[size_t(k)] = float(k % 23) - 11.5f;  // all ties
            w[size_t(K / 2)] = -127.0f;
            w[size_t(K - 1)] = 126.5f;  // tie -> 126
            std::vector<int8_t> q(static_cast<size_t>(K) + 8, 99);
            QCOMPARE(t.quantize_w8(w.data(), K, q.data()), 1.0f);
            for (int64_t k = 0; k < K; ++k) QCOMPARE(int(q[size_t(k)]), half_even(w[size_t(k)]));
            QCOMPARE(int(q[size_t(K - 1)]), 126);
            QCOMPARE(int(q[size_t(K)]), 99);  // writes exactly K bytes
        }
        // A hand example with a non-unit scale: max 2.54 -> scale 0.02.
        const float w[] = {2.54f, -1.27f, 0.01f, 0.0f, -2.54f};
        int8_t q[5];
        const float s = t.quantize_w8(w, 5, q);
        QCOMPARE(s, 2.54f / 127.0f);
        const int expect[] = {127, -64, 0, 0, -127};  // -1.27/0.02 = -63.5 -> -64 (even)
        for (int i = 0; i < 5; ++i) QCOMPARE(int(q[i]), expect[i]);
        // All-zero row: scale 0, codes 0.
        std::vector<float> z(33, 0.0f);
        std::vector<int8_t> qz(33, 5);
        QCOMPARE(t.quantize_w8(z.data(), 33, qz.data()), 0.0f);
        for (int8_t v : qz) QCOMPARE(int(v), 0);
        // Bit-identical with the scalar table on random rows (the int8 formats promise it).
        std::mt19937 rng(11);
        for (int64_t K : kKs) {
            const auto r = random_floats(rng, size_t(K), -3, 3);
            std::vector<int8_t> a(static_cast<size_t>(K)), b(static_cast<size_t>(K));
            QCOMPARE(t.quantize_w8(r.data(), K, a.data()),
                     kern::table_scalar().quantize_w8(r.data(), K, b.data()));
            QVERIFY(a == b);
        }
    }

    void quantizeI8_data() { ISA_DATA(); }
    void quantizeI8() {
        FETCH_TABLE(t);
        for (int64_t K : {int64_t(1), int64_t(40), int64_t(70), int64_t(129)}) {
            std::vector<float> x(static_cast<size_t>(K));
            for (int64_t k = 0; k < K; ++k) x[size_t(k)] = float(k % 29) - 14.5f;
            x[0] = 127.0f;  // inv = 127 / 127 = 1: codes are the values rounded half-even
            const int64_t stride = kern::i8_row_stride(K);
            QCOMPARE(stride % 64, int64_t(0));
            QVERIFY(stride >= K);
            std::vector<int8_t> q(static_cast<size_t>(stride), 77);
            QCOMPARE(t.quantize_i8(x.data(), K, q.data()), 1.0f);
            for (int64_t k = 0; k < K; ++k) QCOMPARE(int(q[size_t(k)]), half_even(x[size_t(k)]));
            for (int64_t k = K; k < stride; ++k) QCOMPARE(int(q[size_t(k)]), 0);  // padding zero
        }
        // max 63.5 -> inv 2 exactly: 0.25 -> 0.5 -> 0, 0.75 -> 1.5 -> 2, -0.25 -> 0.
        const float x[] = {0.25f, 0.75f, -0.25f, -63.5f, 1.0f};
        std::vector<int8_t> q(64, 1);
        QCOMPARE(t.quantize_i8(x, 5, q.data()), 63.5f / 127.0f);
        const int expect[] = {0, 2, 0, -127, 2};
        for (int i = 0; i < 5; ++i) QCOMPARE(int(q[size_t(i)]), expect[i]);
        std::vector<float> z(5, 0.0f);
        QCOMPARE(t.quantize_i8(z.data(), 5, q.data()), 0.0f);
        for (int i = 0; i < 64; ++i) QCOMPARE(int(q[size_t(i)]), 0);
        std::mt19937 rng(12);
        for (int64_t K : kKs) {
            const auto r = random_floats(rng, size_t(K), -5, 5);
            const int64_t stride = kern::i8_row_stride(K);
            std::vector<int8_t> a(static_cast<size_t>(stride)), b(static_cast<size_t>(stride));
            QCOMPARE(t.quantize_i8(r.data(), K, a.data()),
                     kern::table_scalar().quantize_i8(r.data(), K, b.data()));
            QVERIFY(a == b);
        }
    }

    void quantizeQ8_data() { ISA_DATA(); }
    void quantizeQ8() {
        FETCH_TABLE(t);
        // K = 40: block 0 full (max 127: d = 1, codes = values), block 1 has 8 elements
        // (max 63.5: codes = 2 x values), then zero padding up to the group (blocks = 4).
        std::vector<float> x(40);
        for (int k = 0; k < 32; ++k) x[size_t(k)] = float(k) - 15.5f;
        x[5] = -127.0f;
        const float tail[] = {0.25f, 0.75f, -0.25f, 63.5f, -1.0f, 2.0f, 0.0f, -3.25f};
        for (int k = 0; k < 8; ++k) x[size_t(32 + k)] = tail[k];
        for (bool sym : {true, false}) {
            Q8Buf b(4);
            std::memset(b.q.get(), 0x55, 512);
            t.quantize_q8(x.data(), 40, 4, sym, b.row());
            int qsum0 = 0, qsum1 = 0;
            for (int e = 0; e < 32; ++e) {
                const int expect = half_even(x[size_t(e)]);
                QCOMPARE(int(b.q[size_t(q8_index(0, e))]), expect);
                qsum0 += expect;
            }
            const int expect1[] = {0, 2, 0, 127, -2, 4, 0, -6};  // -6.5 -> -6
            for (int e = 0; e < 32; ++e) {
                const int v = e < 8 ? expect1[e] : 0;
                QCOMPARE(int(b.q[size_t(q8_index(1, e))]), v);
                qsum1 += v;
                QCOMPARE(int(b.q[size_t(q8_index(2, e))]), 0);
                QCOMPARE(int(b.q[size_t(q8_index(3, e))]), 0);
            }
            QCOMPARE(b.d[0], 1.0f);
            QCOMPARE(b.d[1], 63.5f / 127.0f);
            QCOMPARE(b.d[2], 0.0f);
            if (sym) {
                QCOMPARE(b.c[0], -8.0f * 1.0f * float(qsum0));
                QCOMPARE(b.c[1], -8.0f * (63.5f / 127.0f) * float(qsum1));
            } else {
                double s0 = 0, s1 = 0;
                for (int k = 0; k < 32; ++k) s0 += x[size_t(k)];
                for (int k = 32; k < 40; ++k) s1 += x[size_t(k)];
                QCOMPARE(double(b.c[0]), s0);  // small integers and halves: exact in float
                QCOMPARE(double(b.c[1]), s1);
            }
            QCOMPARE(b.c[2], 0.0f);
            for (int i = 4; i < 16; ++i) QCOMPARE(b.d[size_t(i)], 0.0f);  // padded super-block
        }
        // Random rows over several super-blocks: codes and d identical to scalar; the
        // symmetric c is the same float expression; the asymmetric c is a float sum of <= 32
        // values (gamma_32 * sum |x|).
        std::mt19937 rng(13);
        for (int64_t K : kKs) {
            const int64_t blocks = (K + 31) / 32;
            const auto r = random_floats(rng, size_t(K), -4, 4);
            for (bool sym : {true, false}) {
                Q8Buf a(blocks), s(blocks);
                t.quantize_q8(r.data(), K, blocks, sym, a.row());
                kern::table_scalar().quantize_q8(r.data(), K, blocks, sym, s.row());
                QVERIFY(std::memcmp(a.q.get(), s.q.get(), size_t(a.sbs * 512)) == 0);
                for (int64_t i = 0; i < a.sbs * 16; ++i) {
                    QCOMPARE(a.d[size_t(i)], s.d[size_t(i)]);
                    if (sym) {
                        QCOMPARE(a.c[size_t(i)], s.c[size_t(i)]);
                    } else {
                        double sa = 0;
                        for (int64_t k = i * 32; k < std::min(K, i * 32 + 32); ++k)
                            sa += std::fabs(r[size_t(k)]);
                        QVERIFY(std::fabs(double(a.c[size_t(i)]) - s.c[size_t(i)]) <=
                                2 * gamma_n(32) * sa);
                    }
                }
            }
        }
    }

    // ---- dense GEMV (fp32, fp16, bf16)
    void denseRows_data() { ISA_DATA(); }
    void denseRows() {
        FETCH_TABLE(t);
        std::mt19937 rng(21);
        for (int64_t K : kKs)
            for (int64_t N : kNs)
                for (int m = 1; m <= kern::kMaxRows; ++m) {
                    const auto wf = random_floats(rng, size_t(N * K));
                    const auto x = random_floats(rng, size_t(m * K), -2, 2);
                    std::vector<uint16_t> wh(wf.size()), wb(wf.size());
                    for (size_t i = 0; i < wf.size(); ++i) {
                        wh[i] = kern::f32_to_f16(wf[i]);
                        wb[i] = kern::f32_to_bf16(wf[i]);
                    }
                    check_dense(K, N, m, x, [&](int64_t i) { return double(wf[size_t(i)]); },
                                [&](int64_t) { return 1.0; }, 0,
                                [&](int64_t n0, int64_t n1, float* y, int64_t ldy) {
                                    t.f32_rows(wf.data(), K, n0, n1, x.data(), m, y, ldy);
                                });
                    check_dense(K, N, m, x, [&](int64_t i) { return double(kern::f16_to_f32(wh[size_t(i)])); },
                                [&](int64_t) { return 1.0; }, 0,
                                [&](int64_t n0, int64_t n1, float* y, int64_t ldy) {
                                    t.f16_rows(wh.data(), K, n0, n1, x.data(), m, y, ldy);
                                });
                    check_dense(K, N, m, x, [&](int64_t i) { return double(kern::bf16_to_f32(wb[size_t(i)])); },
                                [&](int64_t) { return 1.0; }, 0,
                                [&](int64_t n0, int64_t n1, float* y, int64_t ldy) {
                                    t.bf16_rows(wb.data(), K, n0, n1, x.data(), m, y, ldy);
                                });
                    if (QTest::currentTestFailed()) return;
                }
    }

    // ---- int8 weight-only: activation planes and GEMV rows
    void int8WeightOnly_data() { ISA_DATA(); }
    void int8WeightOnly() {
        FETCH_TABLE(t);
        std::mt19937 rng(27);
        for (int64_t K : kKs)
            for (int64_t N : kNs)
                for (int m = 1; m <= kern::kMaxRows; ++m)
                    for (int kind = 0; kind < 3; ++kind) {
                        check_i8w(t, rng, K, N, m, kind);
                        if (QTest::currentTestFailed()) return;
                    }
    }

    // ---- int8 weight-only with small codes and power-of-two scales: every partial sum is
    // exact in float, so each table must give the exact combination bit for bit, whatever its
    // order. A plane read with another's scale or at a wrong index cannot hide in a bound.
    void int8WeightOnlyExact_data() { ISA_DATA(); }
    void int8WeightOnlyExact() {
        FETCH_TABLE(t);
        std::mt19937 rng(29);
        std::uniform_int_distribution<int> code(-3, 3);
        for (int64_t K : kKs)
            for (int64_t N : kNs)
                for (int m = 1; m <= kern::kMaxRows; ++m) {
                    const int64_t stride = kern::i8_row_stride(K), ldy = N + 3;
                    std::vector<int8_t> w(static_cast<size_t>(N * K));
                    std::vector<int32_t> wsum(static_cast<size_t>(N));
                    for (int64_t n = 0; n < N; ++n)
                        for (int64_t k = 0; k < K; ++k) {
                            w[size_t(n * K + k)] = int8_t(code(rng));
                            wsum[size_t(n)] += w[size_t(n * K + k)];
                        }
                    const std::vector<float> ws(static_cast<size_t>(N), 0.5f);
                    Aligned<int8_t> q(size_t(3 * m * stride));
                    std::memset(q.get(), 0, size_t(3 * m * stride));
                    std::vector<float> s;
                    for (int a = 0; a < m; ++a) {
                        for (int p = 0; p < 3; ++p)
                            for (int64_t k = 0; k < K; ++k)
                                q.get()[3 * a * stride + kern::i8x3_index(p, k)] = int8_t(code(rng));
                        s.insert(s.end(), {8.0f, 2.0f, 0.5f});
                    }
                    std::vector<float> y(static_cast<size_t>(m * ldy), std::nanf(""));
                    t.i8w_rows(w.data(), ws.data(), wsum.data(), K, 0, N, q.get(), s.data(), m,
                               y.data(), ldy);
                    for (int a = 0; a < m; ++a)
                        for (int64_t n = 0; n < N; ++n) {
                            double exact = 0;
                            for (int p = 0; p < 3; ++p)
                                for (int64_t k = 0; k < K; ++k)
                                    exact += double(s[size_t(3 * a + p)]) * double(ws[size_t(n)]) *
                                             q.get()[3 * a * stride + kern::i8x3_index(p, k)] *
                                             w[size_t(n * K + k)];
                            const float got = y[size_t(a * ldy + n)];
                            if (kern::f32_bits(got) != kern::f32_bits(float(exact)))
                                QFAIL(qPrintable(QString("K=%1 N=%2 m=%3 (%4, %5): %6, exactly %7")
                                                     .arg(K).arg(N).arg(m).arg(a).arg(n).arg(got)
                                                     .arg(exact)));
                        }
                }
    }

    // ---- int8 dynamic: GEMV rows and GEMM
    void int8Dynamic_data() { ISA_DATA(); }
    void int8Dynamic() {
        FETCH_TABLE(t);
        std::mt19937 rng(31);
        for (int64_t K : kKs)
            for (int64_t N : kNs)
                for (int64_t m : {1, 2, 3, 4, 5, 16, 17, 40}) {
                    check_i8d(t, rng, K, N, m, false);
                    if (QTest::currentTestFailed()) return;
                }
        // Extreme codes (all +-127) on both sides: no saturation in any dot-product trick.
        for (int64_t m : {1, 4, 17}) {
            check_i8d(t, rng, 257, 17, m, true);
            if (QTest::currentTestFailed()) return;
        }
    }

    // ---- int4 x Q8
    void int4_data() { ISA_DATA(); }
    void int4() {
        FETCH_TABLE(t);
        std::mt19937 rng(41);
        for (int G : {32, 64, 128})
            for (bool sym : {true, false})
                for (int64_t K : kKs)
                    for (int64_t N : kNs)
                        for (int m = 1; m <= kern::kMaxRows; ++m) {
                            check_i4(t, rng, G, sym, K, N, m);
                            if (QTest::currentTestFailed()) return;
                        }
    }

private:
    // Runs rows() over [0, split) and [split, N) into y (row stride N + 3, poisoned with NaN),
    // checks each value against sum_k w(n,k) x(k) * scale(n) in double within
    // gamma_{K + extra} * |scale| * sum |w x|, and that nothing outside the rows was written.
    template <class W, class S, class Rows>
    void check_dense(int64_t K, int64_t N, int m, const std::vector<float>& x, const W& w,
                     const S& scale, int extra, const Rows& rows) {
        const int64_t ldy = N + 3;
        std::vector<float> y(static_cast<size_t>(m * ldy), std::nanf(""));
        const int64_t split = N / 2;
        rows(0, split, y.data(), ldy);
        rows(split, N, y.data(), ldy);
        for (int a = 0; a < m; ++a) {
            for (int64_t n = 0; n < N; ++n) {
                double ref = 0, mag = 0;
                for (int64_t k = 0; k < K; ++k) {
                    const double p = w(n * K + k) * double(x[size_t(a * K + k)]);
                    ref += p;
                    mag += std::fabs(p);
                }
                const double s = scale(n);
                const double bound = gamma_n(K + extra) * std::fabs(s) * mag + 1e-30;
                const double got = y[size_t(a * ldy + n)];
                if (!(std::fabs(got - ref * s) <= bound))
                    QFAIL(qPrintable(QString("K=%1 N=%2 m=%3 row %4 col %5: %6 vs %7 (bound %8)")
                                         .arg(K).arg(N).arg(m).arg(a).arg(n).arg(got)
                                         .arg(ref * s).arg(bound)));
            }
            for (int64_t n = N; n < ldy; ++n) QVERIFY(std::isnan(y[size_t(a * ldy + n)]));
        }
    }

    // kind 0: x uniform in [-2, 2]; 1: one element 1000x larger (an activation outlier);
    // 2: the first activation row all zero.
    void check_i8w(const Table& t, std::mt19937& rng, int64_t K, int64_t N, int m, int kind) {
        const int64_t stride = kern::i8_row_stride(K), ldy = N + 3;
        auto x = random_floats(rng, size_t(m * K), -2, 2);
        if (kind == 1) x[size_t(K / 2)] = 1500.0f;
        if (kind == 2) std::fill(x.begin(), x.begin() + K, 0.0f);
        const auto wf = random_floats(rng, size_t(N * K));
        std::vector<int8_t> w(wf.size());
        std::vector<float> ws(static_cast<size_t>(N));
        std::vector<int32_t> wsum(static_cast<size_t>(N));
        for (int64_t n = 0; n < N; ++n) {
            ws[size_t(n)] = kern::table_scalar().quantize_w8(wf.data() + n * K, K, w.data() + n * K);
            for (int64_t k = 0; k < K; ++k) wsum[size_t(n)] += w[size_t(n * K + k)];
        }
        // Planes: the same bits as the scalar table, codes never saturated, and x recovered to
        // within just over half a step of the last plane.
        Aligned<int8_t> q(size_t(3 * m * stride)), qref(size_t(3 * m * stride));
        std::vector<float> s(size_t(3 * m)), sref(size_t(3 * m));
        for (int a = 0; a < m; ++a) {
            t.split_i8x3(x.data() + a * K, K, q.get() + 3 * a * stride, s.data() + 3 * a);
            kern::table_scalar().split_i8x3(x.data() + a * K, K, qref.get() + 3 * a * stride,
                                            sref.data() + 3 * a);
        }
        QVERIFY(std::memcmp(q.get(), qref.get(), size_t(3 * m * stride)) == 0);
        for (size_t i = 0; i < s.size(); ++i) QCOMPARE(kern::f32_bits(s[i]), kern::f32_bits(sref[i]));
        for (int a = 0; a < m; ++a) {
            const float* sa = s.data() + 3 * a;
            const int8_t* qa = q.get() + 3 * a * stride;
            for (int64_t k = 0; k < stride; ++k) {
                const int8_t qk[3] = {qa[kern::i8x3_index(0, k)], qa[kern::i8x3_index(1, k)],
                                      qa[kern::i8x3_index(2, k)]};
                const double back = double(sa[0]) * qk[0] + double(sa[1]) * qk[1] +
                                    double(sa[2]) * qk[2];
                const double xk = k < K ? x[size_t(a * K + k)] : 0.0;
                for (int p = 0; p < 3; ++p) QVERIFY(std::abs(int(qk[p])) <= (p ? 126 : 127));
                if (!(std::fabs(back - xk) <= 0.51 * double(sa[2])))
                    QFAIL(qPrintable(QString("K=%1 row %2 k=%3: planes give %4 for %5 (step %6)")
                                         .arg(K).arg(a).arg(k).arg(back).arg(xk).arg(sa[2])));
            }
        }
        std::vector<float> y(static_cast<size_t>(m * ldy), std::nanf(""));
        const int64_t split = N / 2;
        t.i8w_rows(w.data(), ws.data(), wsum.data(), K, 0, split, q.get(), s.data(), m, y.data(), ldy);
        t.i8w_rows(w.data(), ws.data(), wsum.data(), K, split, N, q.get(), s.data(), m, y.data(), ldy);
        for (int a = 0; a < m; ++a) {
            const float* sa = s.data() + 3 * a;
            for (int64_t n = 0; n < N; ++n) {
                int64_t T[3] = {0, 0, 0};
                double truth = 0, wabs = 0, mag = 0;
                for (int64_t k = 0; k < K; ++k) {
                    const int64_t wk = w[size_t(n * K + k)];
                    for (int p = 0; p < 3; ++p) {
                        const int qk = q[size_t(3 * a * stride + kern::i8x3_index(p, k))];
                        T[p] += wk * qk;
                        mag += double(sa[p]) * std::fabs(double(wk)) * (std::abs(qk) + 128);
                    }
                    truth += double(wk) * ws[size_t(n)] * double(x[size_t(a * K + k)]);
                    wabs += std::fabs(double(wk) * ws[size_t(n)]);
                }
                const double exact = double(ws[size_t(n)]) *
                                     (double(sa[0]) * double(T[0]) + double(sa[1]) * double(T[1]) +
                                      double(sa[2]) * double(T[2]));
                const double combine =
                    9 * kU * double(ws[size_t(n)]) * mag + kU * std::fabs(exact);
                const float got = y[size_t(a * ldy + n)];
                if (!(std::fabs(got - exact) <= combine + 1e-30))
                    QFAIL(qPrintable(
                        QString("K=%1 N=%2 m=%3 (%4, %5): %6, exact int sums give %7 (bound %8)")
                            .arg(K).arg(N).arg(m).arg(a).arg(n).arg(got).arg(exact).arg(combine)));
                // Against FP32 activations: the planes' error times the weights, plus the
                // combination's roundings: about what FP32 accumulation itself would cost.
                const double bound =
                    0.51 * double(sa[2]) * wabs + 2 * kU * std::fabs(truth) + combine + 1e-30;
                if (!(std::fabs(got - truth) <= bound))
                    QFAIL(qPrintable(QString("K=%1 m=%2 kind %3: %4 vs fp32 activations %5, bound %6")
                                         .arg(K).arg(m).arg(kind).arg(got).arg(truth).arg(bound)));
            }
            for (int64_t n = N; n < ldy; ++n) QVERIFY(std::isnan(y[size_t(a * ldy + n)]));
        }
    }

    void check_i8d(const Table& t, std::mt19937& rng, int64_t K, int64_t N, int64_t m,
                   bool extreme) {
        const int64_t stride = kern::i8_row_stride(K);
        std::vector<int8_t> w(static_cast<size_t>(N * K));
        std::vector<float> ws(static_cast<size_t>(N)), sx(static_cast<size_t>(m));
        std::vector<int32_t> wsum(static_cast<size_t>(N));
        const auto x = random_floats(rng, size_t(m * K), -3, 3);
        const auto wf = random_floats(rng, size_t(N * K));
        Aligned<int8_t> q(static_cast<size_t>(m * stride));
        for (int64_t n = 0; n < N; ++n) {
            ws[size_t(n)] = kern::table_scalar().quantize_w8(wf.data() + n * K, K, w.data() + n * K);
            if (extreme)
                for (int64_t k = 0; k < K; ++k) w[size_t(n * K + k)] = (k + n) % 3 ? 127 : -127;
            int32_t s = 0;
            for (int64_t k = 0; k < K; ++k) s += w[size_t(n * K + k)];
            wsum[size_t(n)] = s;
        }
        for (int64_t a = 0; a < m; ++a) {
            sx[size_t(a)] = t.quantize_i8(x.data() + a * K, K, q.get() + a * stride);
            if (extreme)
                for (int64_t k = 0; k < K; ++k) q[size_t(a * stride + k)] = (k + a) % 2 ? 127 : -127;
        }
        std::vector<float> y(static_cast<size_t>(m * N), std::nanf(""));
        if (m <= kern::kMaxRows) {
            const int64_t split = N / 2;
            t.i8d_rows(w.data(), ws.data(), wsum.data(), K, 0, split, q.get(), sx.data(), int(m),
                       y.data(), N);
            t.i8d_rows(w.data(), ws.data(), wsum.data(), K, split, N, q.get(), sx.data(), int(m),
                       y.data(), N);
        } else {
            Aligned<uint8_t> packed(t.i8d_packed_bytes(m, K));
            t.i8d_pack(q.get(), m, K, packed.get());
            const int64_t split = N / 2;
            t.i8d_gemm(w.data(), ws.data(), wsum.data(), K, 0, split, packed.get(), sx.data(), m,
                       y.data(), N);
            t.i8d_gemm(w.data(), ws.data(), wsum.data(), K, split, N, packed.get(), sx.data(), m,
                       y.data(), N);
        }
        for (int64_t a = 0; a < m; ++a)
            for (int64_t n = 0; n < N; ++n) {
                int64_t s = 0;
                double truth = 0, qerr = 0;
                for (int64_t k = 0; k < K; ++k) {
                    const int64_t wk = w[size_t(n * K + k)];
                    s += int64_t(q[size_t(a * stride + k)]) * wk;
                    const double xk = x[size_t(a * K + k)];
                    truth += double(wk) * ws[size_t(n)] * xk;
                    qerr += std::fabs(double(wk) * ws[size_t(n)]) *
                            (sx[size_t(a)] * 0.5 + 4 * kU * std::fabs(xk));
                }
                const float expect = float(s) * (sx[size_t(a)] * ws[size_t(n)]);
                const float got = y[size_t(a * N + n)];
                if (kern::f32_bits(got) != kern::f32_bits(expect))
                    QFAIL(qPrintable(QString("K=%1 N=%2 m=%3 (%4, %5): %6, exact int32 sum gives %7")
                                         .arg(K).arg(N).arg(m).arg(a).arg(n).arg(got).arg(expect)));
                if (!extreme && !(std::fabs(got - truth) <= qerr + 2 * kU * std::fabs(truth)))
                    QFAIL(qPrintable(QString("K=%1 m=%2: %3 vs unquantized %4, bound %5")
                                         .arg(K).arg(m).arg(got).arg(truth).arg(qerr)));
            }
    }

    void check_i4(const Table& t, std::mt19937& rng, int G, bool sym, int64_t K, int64_t N,
                  int m) {
        const int64_t kp = detail::int4_padded_k(K, G), blocks = kp / 32, groups = kp / G;
        // Random nibbles everywhere, padding included: padded activations are zero, so the
        // padding codes must not matter.
        Aligned<uint8_t> wq(static_cast<size_t>(N * blocks * 16));
        std::uniform_int_distribution<int> byte(0, 255);
        for (size_t i = 0; i < wq.n; ++i) wq[i] = uint8_t(byte(rng));
        std::vector<uint16_t> sc(static_cast<size_t>(N * groups)), mn(static_cast<size_t>(N * groups));
        std::uniform_real_distribution<float> sd(0.001f, 0.1f), md(-0.8f, 0.0f);
        for (size_t i = 0; i < sc.size(); ++i) {
            const float s = sd(rng);
            sc[i] = kern::f32_to_f16(sym && (i % 3 == 0) ? -s : s);  // searched scales may be < 0
            mn[i] = kern::f32_to_f16(md(rng));
        }
        // The kernels' layout: per row its nibbles, scales and (asymmetric) minimums.
        const int64_t stride = kern::int4_row_stride(blocks, groups, !sym);
        Aligned<uint8_t> packed(static_cast<size_t>(N * stride));
        for (int64_t n = 0; n < N; ++n) {
            uint8_t* row = &packed[size_t(n * stride)];
            std::memcpy(row, &wq[size_t(n * blocks * 16)], size_t(blocks * 16));
            std::memcpy(row + blocks * 16, &sc[size_t(n * groups)], size_t(groups * 2));
            if (!sym) std::memcpy(row + blocks * 16 + groups * 2, &mn[size_t(n * groups)], size_t(groups * 2));
        }
        const kern::Int4View view{packed.get(), stride, blocks, groups, G, !sym};
        const auto x = random_floats(rng, size_t(m * K), -2, 2);
        std::vector<std::unique_ptr<Q8Buf>> bufs;
        kern::Q8Row rows[kern::kMaxRows];
        for (int a = 0; a < m; ++a) {
            bufs.push_back(std::make_unique<Q8Buf>(blocks));
            rows[a] = bufs.back()->row();
            t.quantize_q8(x.data() + a * K, K, blocks, sym, rows[a]);
        }
        const int64_t ldy = N + 2;
        std::vector<float> y(static_cast<size_t>(m * ldy), std::nanf(""));
        t.i4_rows(view, 0, N / 2, rows, m, y.data(), ldy);
        t.i4_rows(view, N / 2, N, rows, m, y.data(), ldy);
        auto code = [&](int64_t n, int64_t k) {
            bool high = false;
            const uint8_t b = wq[size_t(n * blocks * 16 + detail::int4_byte(blocks, k, high))];
            return high ? b >> 4 : b & 15;
        };
        for (int a = 0; a < m; ++a) {
            const Q8Buf& qb = *bufs[size_t(a)];
            for (int64_t n = 0; n < N; ++n) {
                double ref = 0, mag = 0, truth = 0, qerr = 0;
                for (int64_t blk = 0; blk < blocks; ++blk) {
                    const int64_t g = n * groups + blk * 32 / G;
                    const double s = kern::f16_to_f32(sc[size_t(g)]);
                    const double mnv = kern::f16_to_f32(mn[size_t(g)]);
                    const double d = qb.d[size_t(blk)], c = qb.c[size_t(blk)];
                    int64_t isum = 0;
                    double xabs = 0;
                    for (int e = 0; e < 32; ++e) {
                        const int64_t k = blk * 32 + e;
                        const int u = code(n, k);
                        isum += u * int64_t(qb.q[size_t(q8_index(blk, e))]);
                        if (k >= K) continue;
                        const double xk = x[size_t(a * K + k)];
                        const double wk = sym ? (u - 8) * s : u * s + mnv;
                        const double coef = sym ? wk : u * s;  // the part multiplied by codes
                        truth += wk * xk;
                        qerr += std::fabs(coef) * (d * 0.5 + 4 * kU * std::fabs(xk));
                        xabs += std::fabs(xk);
                    }
                    const double id = double(float(isum)) * d;
                    if (sym) {
                        ref += s * (id + c);
                        mag += std::fabs(s) * (std::fabs(id) + std::fabs(c));
                    } else {
                        ref += s * id + mnv * c;
                        mag += std::fabs(s * id) + std::fabs(mnv * c);
                        qerr += std::fabs(mnv) * gamma_n(32) * xabs;  // c is a float sum
                    }
                }
                const double bound = double(blocks + 6) * kU * mag + 1e-30;
                const double got = y[size_t(a * ldy + n)];
                if (!(std::fabs(got - ref) <= bound))
                    QFAIL(qPrintable(QString("G=%1 %2 K=%3 N=%4 m=%5 (%6, %7): %8 vs %9, bound %10")
                                         .arg(G).arg(sym ? "sym" : "asym").arg(K).arg(N).arg(m)
                                         .arg(a).arg(n).arg(got).arg(ref).arg(bound)));
                if (!(std::fabs(got - truth) <= qerr + bound))
                    QFAIL(qPrintable(QString("G=%1 K=%2: %3 vs unquantized activations %4, bound %5")
                                         .arg(G).arg(K).arg(got).arg(truth).arg(qerr + bound)));
            }
            for (int64_t n = N; n < ldy; ++n) QVERIFY(std::isnan(y[size_t(a * ldy + n)]));
        }
    }
};

QTEST_GUILESS_MAIN(KernelsTest)
#include "test_kernels.moc"
