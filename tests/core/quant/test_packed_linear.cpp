// Each weight format built from random FP32 weights: forward() against an FP32 (double) reference
// within a per-format relative Frobenius bound, exact weight_bytes, save/reload round trip
// (stored_tensors + format_spec -> load_packed_linear) giving bit-identical output, clear errors
// for inconsistent tensors, and the int4 scheme ordering (asymmetric and scale search help).
//
// Relative error = ||Y - X W^T||_F / ||X W^T||_F on gaussian W and X, over all shapes and row
// counts of a format. Bounds, with the values measured when they were set (seeded, so stable):
//   fp32 1e-6 (2.4e-7: float accumulation only), fp16 5e-4 (2.0e-4: 11-bit weights),
//   bf16 4e-3 (1.7e-3: 8-bit weights), int8 weight-only 1e-2 (7.2e-3), int8 dynamic 1.5e-2
//   (1.0e-2: weights and activations to int8), int4 asymmetric + scale search g32 / g64 / g128
//   9e-2 / 1e-1 / 1.15e-1 (7.0e-2 / 8.2e-2 / 9.2e-2), the other int4 schemes 1.2x that
//   (the default, symmetric + scale search, 8.2e-2 / 9.1e-2 / 9.7e-2; worst: symmetric
//   round-to-nearest, 8.7e-2 / 9.6e-2 / 1.04e-1).
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "common/parallel.h"
#include "common/result.h"
#include "kernels/cpu_features.h"
#include "quant/formats.h"

using namespace qs;

namespace {

struct Case {
    std::string name;
    double bound;  // relative Frobenius error vs the FP32 product
    std::function<std::unique_ptr<PackedLinear>(const std::vector<float>&, int64_t, int64_t)> make;
    std::function<int64_t(int64_t, int64_t)> bytes;  // exact weight_bytes(out, in)
};

int64_t int4_bytes(int64_t out, int64_t in, int g, bool asym) {
    const int64_t kp = (in + g - 1) / g * g;
    return out * kp / 2 + out * (kp / g) * 2 * (asym ? 2 : 1);
}

Int4Options int4(int g, Int4Scheme scheme, bool search) {
    Int4Options o;
    o.group_size = g;
    o.scheme = scheme;
    o.scale_search = search;
    return o;
}

std::vector<Case> cases() {
    std::vector<Case> c;
    c.push_back({"fp32", 1e-6,
                 [](const std::vector<float>& w, int64_t o, int64_t i) {
                     Buffer b = Buffer::allocate(w.size() * 4);
                     std::memcpy(b.mutable_as<float>(), w.data(), w.size() * 4);
                     return make_fp32_linear(std::move(b), o, i);
                 },
                 [](int64_t o, int64_t i) { return o * i * 4; }});
    c.push_back({"fp16", 5e-4,
                 [](const std::vector<float>& w, int64_t o, int64_t i) {
                     return make_half_linear(w.data(), o, i, false);
                 },
                 [](int64_t o, int64_t i) { return o * i * 2; }});
    c.push_back({"bf16", 4e-3,
                 [](const std::vector<float>& w, int64_t o, int64_t i) {
                     return make_half_linear(w.data(), o, i, true);
                 },
                 [](int64_t o, int64_t i) { return o * i * 2; }});
    c.push_back({"int8-weight-only", 1e-2,
                 [](const std::vector<float>& w, int64_t o, int64_t i) {
                     return make_int8_linear(w.data(), o, i, Int8Mode::weight_only);
                 },
                 [](int64_t o, int64_t i) { return o * i + o * 4; }});
    c.push_back({"int8-dynamic", 1.5e-2,
                 [](const std::vector<float>& w, int64_t o, int64_t i) {
                     return make_int8_linear(w.data(), o, i, Int8Mode::dynamic);
                 },
                 [](int64_t o, int64_t i) { return o * i + o * 4; }});
    for (int g : {32, 64, 128})
        for (bool asym : {true, false})
            for (bool search : {true, false}) {
                const double bound = g == 32 ? 9e-2 : (g == 64 ? 1e-1 : 1.15e-1);
                c.push_back({"int4 g" + std::to_string(g) + (asym ? " asym" : " sym") +
                                 (search ? " search" : " rtn"),
                             asym && search ? bound : bound * 1.2,
                             [=](const std::vector<float>& w, int64_t o, int64_t i) {
                                 return make_int4_linear(
                                     w.data(), o, i,
                                     int4(g, asym ? Int4Scheme::asymmetric : Int4Scheme::symmetric,
                                          search));
                             },
                             [=](int64_t o, int64_t i) { return int4_bytes(o, i, g, asym); }});
            }
    return c;
}

std::vector<float> gaussian(std::mt19937& rng, size_t n, float sigma = 1.0f) {
    std::normal_distribution<float> d(0.0f, sigma);
    std::vector<float> v(n);
    for (float& f : v) f = d(rng);
    return v;
}

// Squared Frobenius norms of Y - X W^T and of X W^T, the reference in double.
struct ErrorSums {
    double num = 0, den = 0;
    double rel() const { return std::sqrt(num / den); }
};
ErrorSums error_sums(const std::vector<float>& y, const std::vector<float>& x,
                     const std::vector<float>& w, int64_t m, int64_t out, int64_t in) {
    ErrorSums e;
    for (int64_t a = 0; a < m; ++a)
        for (int64_t n = 0; n < out; ++n) {
            double r = 0;
            for (int64_t k = 0; k < in; ++k) r += double(x[size_t(a * in + k)]) * w[size_t(n * in + k)];
            const double d = y[size_t(a * out + n)] - r;
            e.num += d * d;
            e.den += r * r;
        }
    return e;
}
double rel_error(const std::vector<float>& y, const std::vector<float>& x,
                 const std::vector<float>& w, int64_t m, int64_t out, int64_t in) {
    return error_sums(y, x, w, m, out, in).rel();
}

std::vector<float> run(const PackedLinear& l, const std::vector<float>& x, int64_t m) {
    std::vector<float> y(static_cast<size_t>(m * l.out_features()), std::nanf(""));
    l.forward(x.data(), m, y.data());
    return y;
}

std::map<std::string, StoredTensor> stored_map(const PackedLinear& l) {
    std::map<std::string, StoredTensor> m;
    for (StoredTensor& t : l.stored_tensors()) m[t.suffix] = t;
    return m;
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * 4) == 0;
}

// Message of the Failure fn throws ("" if it does not throw).
template <class Fn>
std::string failure_of(const Fn& fn) {
    try {
        fn();
    } catch (const Failure& e) {
        return e.what();
    }
    return "";
}

// ||dequantized W - W||_F / ||W||_F of a matrix.
double weight_error(const PackedLinear& l, const std::vector<float>& w) {
    std::vector<float> row(static_cast<size_t>(l.in_features()));
    double num = 0, den = 0;
    for (int64_t r = 0; r < l.out_features(); ++r) {
        l.dequantize_row(r, row.data());
        for (int64_t k = 0; k < l.in_features(); ++k) {
            const double e = double(row[size_t(k)]) - w[size_t(r * l.in_features() + k)];
            num += e * e;
            den += double(w[size_t(r * l.in_features() + k)]) * w[size_t(r * l.in_features() + k)];
        }
    }
    return std::sqrt(num / den);
}

}  // namespace

class PackedLinearTest : public QObject {
    Q_OBJECT
private slots:
    void init() { set_num_threads(1); }

    // forward() vs the FP32 product, for GEMV (m <= 4) and GEMM (m >= 5) row counts and shapes
    // where K is not a multiple of the group or the SIMD width. The bound applies to the error
    // over all shapes and row counts together; each single product (as few as 1 x 33 values,
    // where the ratio is noisy) must stay within 3x the bound, which still catches any
    // structural mistake (those give errors of order 1).
    void forwardWithinBound() {
        QString over;  // every format is measured and printed before the verdict
        const std::pair<int64_t, int64_t> shapes[] = {{64, 256}, {17, 100}, {1, 33}, {40, 515}};
        for (const Case& c : cases()) {
            std::mt19937 rng(1);
            ErrorSums all;
            for (const auto& [out, in] : shapes) {
                const auto w = gaussian(rng, static_cast<size_t>(out * in), 0.05f);
                const auto l = c.make(w, out, in);
                QCOMPARE(l->out_features(), out);
                QCOMPARE(l->in_features(), in);
                QCOMPARE(l->weight_bytes(), c.bytes(out, in));
                for (int64_t m : {1, 3, 4, 5, 16, 33}) {
                    const auto x = gaussian(rng, static_cast<size_t>(m * in));
                    const ErrorSums e = error_sums(run(*l, x, m), x, w, m, out, in);
                    all.num += e.num;
                    all.den += e.den;
                    if (!(e.rel() <= 3 * c.bound))
                        QFAIL(qPrintable(QString("%1 %2x%3 m=%4: relative error %5 > 3 x %6")
                                             .arg(QString::fromStdString(c.name)).arg(out).arg(in)
                                             .arg(m).arg(e.rel()).arg(c.bound)));
                }
            }
            qInfo("%-22s relative error %.3g (bound %.3g)", c.name.c_str(), all.rel(), c.bound);
            if (!(all.rel() <= c.bound)) over += QString::fromStdString(c.name) + "; ";
        }
        QVERIFY2(over.isEmpty(), qPrintable("over the bound: " + over));
    }

    // Rows of the forward product do not depend on how many rows come at once beyond the
    // GEMV/GEMM switch, on the thread count, or (for int8-dynamic, whose arithmetic is exact
    // integers plus the same float operations) on the instruction set.
    // The matrix is large enough that two threads really split it (each gets over 128 KB of
    // weights in every format, and the GEMM over 2 MFLOP).
    void threadsAndIsaConsistent() {
        std::mt19937 rng(2);
        const int64_t out = 1500, in = 300;
        const auto w = gaussian(rng, size_t(out * in), 0.05f);
        const auto x = gaussian(rng, size_t(3 * in));
        const auto x20 = gaussian(rng, size_t(20 * in));
        for (const Case& c : cases()) {
            const auto l = c.make(w, out, in);
            const auto one = run(*l, x, 3), one20 = run(*l, x20, 20);
            set_num_threads(2);
            const auto two = run(*l, x, 3), two20 = run(*l, x20, 20);
            set_num_threads(1);
            QVERIFY2(same_bits(one, two), c.name.c_str());
            QVERIFY2(same_bits(one20, two20), (c.name + ", 20 rows").c_str());
            for (Isa isa : {Isa::scalar, Isa::avx2, Isa::avx512, Isa::avx512vnni}) {
                if (!isa_supported(isa)) continue;
                force_isa(isa);
                const auto y = run(*l, x, 3);
                const auto yg = run(*l, gaussian(rng, 0), 0);  // m = 0: nothing to do
                force_isa(std::nullopt);
                QVERIFY(yg.empty());
                if (c.name == "int8-dynamic") {
                    QVERIFY2(same_bits(y, one), (c.name + " on " + isa_name(isa)).c_str());
                } else {
                    double num = 0, den = 0;
                    for (size_t i = 0; i < y.size(); ++i) {
                        num += double(y[i] - one[i]) * (y[i] - one[i]);
                        den += double(one[i]) * one[i];
                    }
                    QVERIFY2(std::sqrt(num / den) < 1e-5, (c.name + " on " + isa_name(isa)).c_str());
                }
            }
        }
    }

    // forward_shared_input (q/k/v, gate/up) gives each matrix's forward() bits, on one and two
    // threads (where the split of the side-by-side rows falls inside and between matrices),
    // on the GEMV path it shares and the GEMM path it leaves to forward(), and for matrices
    // of different formats, which cannot share a prepared input.
    void sharedInputMatchesForward() {
        std::mt19937 rng(5);
        const int64_t in = 300;
        const int64_t outs[] = {1500, 130, 17};
        const std::vector<Case> all = cases();
        for (size_t ci = 0; ci < all.size(); ++ci) {
            const Case& c = all[ci];
            const Case& other = all[(ci + 3) % all.size()];  // a different format
            std::vector<std::unique_ptr<PackedLinear>> ls;
            for (int64_t out : outs) ls.push_back(c.make(gaussian(rng, size_t(out * in), 0.05f), out, in));
            const auto mixed = other.make(gaussian(rng, size_t(40 * in), 0.05f), 40, in);
            for (int threads : {1, 2}) {
                set_num_threads(threads);
                for (int64_t m : {1, 2, 4, 6}) {
                    const auto x = gaussian(rng, size_t(m * in));
                    std::vector<std::vector<float>> y;
                    for (const auto& l : ls)
                        y.emplace_back(size_t(m * l->out_features()), std::nanf(""));
                    std::vector<float> ym(size_t(m * 40), std::nanf(""));
                    forward_shared_input(x.data(), m,
                                         {{ls[0].get(), y[0].data()}, {ls[1].get(), y[1].data()},
                                          {ls[2].get(), y[2].data()}});
                    const std::string what = c.name + ", m=" + std::to_string(m) + ", " +
                                             std::to_string(threads) + " threads";
                    for (size_t i = 0; i < ls.size(); ++i)
                        QVERIFY2(same_bits(y[i], run(*ls[i], x, m)), what.c_str());
                    std::fill(y[1].begin(), y[1].end(), std::nanf(""));
                    forward_shared_input(x.data(), m,
                                         {{ls[1].get(), y[1].data()}, {mixed.get(), ym.data()}});
                    QVERIFY2(same_bits(y[1], run(*ls[1], x, m)), (what + ", mixed").c_str());
                    QVERIFY2(same_bits(ym, run(*mixed, x, m)),
                             (what + ", mixed with " + other.name).c_str());
                }
            }
            set_num_threads(1);
        }
    }

    // stored_tensors + format_spec -> load_packed_linear rebuilds the same matrix: forward
    // output and dequantized rows are bit-identical (GEMV and GEMM paths).
    void roundTripBitIdentical() {
        std::mt19937 rng(3);
        const int64_t out = 33, in = 161;
        const auto w = gaussian(rng, size_t(out * in), 0.05f);
        for (const Case& c : cases()) {
            const auto l = c.make(w, out, in);
            const auto back = load_packed_linear(format_spec(*l), out, in, stored_map(*l));
            QCOMPARE(QString::fromStdString(back->format()), QString::fromStdString(l->format()));
            QCOMPARE(QString::fromStdString(back->describe()), QString::fromStdString(l->describe()));
            QCOMPARE(back->weight_bytes(), l->weight_bytes());
            for (int64_t m : {1, 7}) {
                const auto x = gaussian(rng, size_t(m * in));
                QVERIFY2(same_bits(run(*l, x, m), run(*back, x, m)), c.name.c_str());
            }
            std::vector<float> r1(static_cast<size_t>(in)), r2(static_cast<size_t>(in));
            for (int64_t r : {int64_t(0), out - 1}) {
                l->dequantize_row(r, r1.data());
                back->dequantize_row(r, r2.data());
                QVERIFY2(same_bits(r1, r2), c.name.c_str());
            }
        }
    }

    // Inconsistent saved tensors are refused with a message naming the problem.
    void loadRejectsBadTensors() {
        std::mt19937 rng(4);
        const int64_t out = 8, in = 64;
        const auto w = gaussian(rng, size_t(out * in));
        for (const Case& c : cases()) {
            const auto l = c.make(w, out, in);
            const std::string spec = format_spec(*l);
            const auto good = stored_map(*l);
            for (const auto& [suffix, t] : good) {
                auto missing = good;
                missing.erase(suffix);
                QVERIFY2(failure_of([&] { load_packed_linear(spec, out, in, missing); })
                                 .find("is missing") != std::string::npos, c.name.c_str());
                auto shaped = good;
                shaped[suffix].shape[0] += 1;
                QVERIFY2(failure_of([&] { load_packed_linear(spec, out, in, shaped); })
                                 .find("has shape") != std::string::npos, c.name.c_str());
                auto typed = good;
                typed[suffix].dtype = typed[suffix].dtype == "I32" ? "F32" : "I32";
                QVERIFY2(failure_of([&] { load_packed_linear(spec, out, in, typed); })
                                 .find("has dtype") != std::string::npos, c.name.c_str());
                auto shorter = good;
                shorter[suffix].buffer.bytes -= 1;
                QVERIFY2(failure_of([&] { load_packed_linear(spec, out, in, shorter); })
                                 .find("bytes, expected") != std::string::npos, c.name.c_str());
            }
            auto extra = good;
            extra[".bogus"] = good.begin()->second;
            QVERIFY(failure_of([&] { load_packed_linear(spec, out, in, extra); })
                        .find("unexpected tensor '.bogus'") != std::string::npos);
            // The same tensors under the wrong matrix shape.
            QVERIFY(!failure_of([&] { load_packed_linear(spec, out + 1, in, good); }).empty());
        }
        const auto l = make_int8_linear(w.data(), out, in, Int8Mode::dynamic);
        const auto t = stored_map(*l);
        QVERIFY(failure_of([&] { load_packed_linear("{not json", out, in, t); })
                    .find("not valid JSON") != std::string::npos);
        QVERIFY(failure_of([&] { load_packed_linear(R"({"format":"int3"})", out, in, t); })
                    .find("unknown weight format") != std::string::npos);
        QVERIFY(failure_of([&] { load_packed_linear(R"({"format":"int8"})", out, in, t); })
                    .find("lacks \"mode\"") != std::string::npos);
        QVERIFY(failure_of([&] {
                    load_packed_linear(
                        R"({"format":"int4","group_size":48,"scheme":"symmetric","layout":"sb16-v1"})",
                        out, in, t);
                }).find("group size") != std::string::npos);
        QVERIFY(failure_of([&] { make_int4_linear(w.data(), out, in, int4(16, Int4Scheme::symmetric, false)); })
                    .find("group size") != std::string::npos);
        QVERIFY(failure_of([&] { make_int8_linear(w.data(), 0, in, Int8Mode::dynamic); })
                    .find("empty") != std::string::npos);
    }

    // On gaussian weights, asymmetric groups beat symmetric ones and the scale search beats
    // round-to-nearest, for the stored weights and for the forward product.
    void int4SchemeOrdering() {
        std::mt19937 rng(5);
        const int64_t out = 96, in = 512, m = 8;
        const auto w = gaussian(rng, size_t(out * in), 0.05f);
        const auto x = gaussian(rng, size_t(m * in));
        for (int g : {32, 64, 128}) {
            double werr[2][2], yerr[2][2];  // [asym][search]
            for (int asym = 0; asym < 2; ++asym)
                for (int search = 0; search < 2; ++search) {
                    const auto l = make_int4_linear(
                        w.data(), out, in,
                        int4(g, asym ? Int4Scheme::asymmetric : Int4Scheme::symmetric, search));
                    werr[asym][search] = weight_error(*l, w);
                    yerr[asym][search] = rel_error(run(*l, x, m), x, w, m, out, in);
                }
            const QString info = QString("g%1 weight error sym rtn %2, sym search %3, asym rtn %4, "
                                         "asym search %5")
                                     .arg(g).arg(werr[0][0]).arg(werr[0][1]).arg(werr[1][0])
                                     .arg(werr[1][1]);
            qInfo("%s", qPrintable(info));
            QVERIFY2(werr[0][1] < werr[0][0], qPrintable(info));
            QVERIFY2(werr[1][1] < werr[1][0], qPrintable(info));
            QVERIFY2(werr[1][0] < werr[0][0], qPrintable(info));
            QVERIFY2(werr[1][1] < werr[0][1], qPrintable(info));
            QVERIFY2(yerr[1][1] < yerr[0][0], qPrintable(info));
            QVERIFY2(yerr[0][1] < yerr[0][0], qPrintable(info));
            QVERIFY2(yerr[1][1] < yerr[1][0], qPrintable(info));
        }
    }
};

QTEST_GUILESS_MAIN(PackedLinearTest)
#include "test_packed_linear.moc"
