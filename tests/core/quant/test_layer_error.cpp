// Each method's error layer by layer on the real stored weights of ../shared/reference/hf-tiny-llama
// (2 layers x 7 projections, the LM head and the embedding, as the model builder packs them):
// every matrix is packed by pack_matrix() exactly as loading the model with that method does,
// multiplied with gaussian activation rows (1 row: the decode GEMV kernels; 16 rows: the
// prefill GEMM path), and compared with X W^T computed here in double from the FP32 weights.
//
// Stated bounds, per output element (u = 2^-24, gamma_K = K u / (1 - K u), s_n = max_k |w_nk| / 127,
// sx = max_k |x_k| / 127, W^ the packed weights):
// - fp16: the weights are stored as F16, so packing is exact: gamma_K sum |w x| (accumulation only).
// - bf16: round to nearest with 8 significant bits: (2^-8 + gamma_K) sum |w x|.
// - int8 weight-only: half a step per weight, s_n / 2 sum |x|, plus the activation planes
//   (0.51 of the last plane's step, max|x| / (127 * 250^2), times sum |W^|) plus gamma_K sum |w x|.
// - int8 dynamic: s_n / 2 sum |x| + sum |W^| (sx / 2 + 4u |x_k|) + gamma_K sum |w x|.
// - int4 (the default: symmetric groups, per-group scale search, which may clip): no per-element
//   bound; the relative Frobenius error ||Y - X W^T|| / ||X W^T|| must stay under 1.08e-1 (g32)
//   and 1.38e-1 (g128), the bounds tests/core/quant/test_packed_linear.cpp states for that
//   scheme on gaussian matrices;
//   its LM head / embedding are int8 dynamic and get that bound.
// Relative Frobenius errors are also bounded for every method (fp16 1e-6, bf16 4e-3, int8
// weight-only 1e-2, int8 dynamic 1.5e-2, as in test_packed_linear) and printed.
// The embedding is only ever read row by row (dequantize_row): its rows get the weight terms.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "common/parallel.h"
#include "formats/hf_config.h"
#include "formats/safetensors_source.h"
#include "quant/method_formats.h"
#include "test_support.h"

using namespace qs;

namespace {

constexpr double kU = 1.0 / 16777216.0;
double gamma_n(int64_t n) { return double(n) * kU / (1.0 - double(n) * kU); }

struct MethodCase {
    const char* label;
    QuantOptions options;
    double frobenius;  // relative Frobenius bound for the projections
};

std::vector<MethodCase> cases() {
    auto opt = [](Method m, int g = 32) {
        QuantOptions o;
        o.method = m;
        o.group_size = g;
        return o;
    };
    return {{"fp16", opt(Method::fp16), 1e-6},
            {"bf16", opt(Method::bf16), 4e-3},
            {"int8-weight-only", opt(Method::int8_weight_only), 1e-2},
            {"int8-dynamic", opt(Method::int8_dynamic), 1.5e-2},
            {"int4 g32", opt(Method::int4, 32), 1.08e-1},
            {"int4 g128", opt(Method::int4, 128), 1.38e-1}};
}

// The format a case gives one matrix, for choosing its per-element bound.
Method effective(const QuantOptions& o, bool embedding_or_head) {
    return o.method == Method::int4 && embedding_or_head ? Method::int8_dynamic : o.method;
}

double row_max_abs(const float* v, int64_t n) {
    double m = 0;
    for (int64_t i = 0; i < n; ++i) m = std::max(m, std::fabs(double(v[i])));
    return m;
}

}  // namespace

class LayerErrorTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { set_num_threads(2); }

    void everyMatrixWithinItsBound_data() {
        QTest::addColumn<int>("index");
        const auto all = cases();
        for (size_t i = 0; i < all.size(); ++i) QTest::newRow(all[i].label) << int(i);
    }
    void everyMatrixWithinItsBound() {
        QS_REQUIRE_SHARED(dir, "reference/hf-tiny-llama");
        QFETCH(int, index);
        const MethodCase c = cases()[size_t(index)];
        const std::string folder = dir.toStdString();
        const ModelConfig config = parse_hf_config(folder + "/config.json");
        SafetensorsSource source(folder, config);
        const auto names = matrix_names(config);
        QCOMPARE(int(names.size()), int(2 + 7 * config.num_layers));  // embedding, 14, LM head

        std::mt19937 rng(515);
        std::normal_distribution<float> gauss(0.0f, 1.0f);
        for (const MatrixName& mn : names) {
            const std::vector<int64_t> shape = source.shape(mn.name);
            QCOMPARE(int(shape.size()), 2);
            const int64_t N = shape[0], K = shape[1];
            Buffer fp32 = source.fp32(mn.name);
            const std::vector<float> w(fp32.as<float>(), fp32.as<float>() + N * K);
            const auto packed = pack_matrix(c.options, mn.embedding_or_head, fp32, N, K);
            const Method m = effective(c.options, mn.embedding_or_head);
            std::vector<double> step(static_cast<size_t>(N));  // s_n: the int8 weight step of row n
            for (int64_t n = 0; n < N; ++n) step[size_t(n)] = row_max_abs(&w[size_t(n * K)], K) / 127;

            // Weights as packed (dequantize_row) against the stored ones.
            std::vector<float> wq(static_cast<size_t>(N * K));
            for (int64_t n = 0; n < N; ++n) packed->dequantize_row(n, &wq[size_t(n * K)]);
            for (int64_t i = 0; i < N * K; ++i) {
                const double d = std::fabs(double(wq[size_t(i)]) - w[size_t(i)]);
                const double a = std::fabs(double(w[size_t(i)]));
                const bool ok = m == Method::fp16   ? d == 0
                                : m == Method::bf16 ? d <= a / 256
                                : m == Method::int4 ? true  // clipping allowed; see Frobenius
                                                    : d <= step[size_t(i / K)] * 0.5 * (1 + 1e-5);
                if (!ok)
                    QFAIL(qPrintable(QString("%1 %2 weight %3: %4 stored, %5 packed")
                                         .arg(c.label).arg(QString::fromStdString(mn.name))
                                         .arg(i).arg(w[size_t(i)]).arg(wq[size_t(i)])));
            }
            if (mn.name == "model.embed_tokens.weight" && !config.tie_word_embeddings) continue;

            for (int64_t rows : {int64_t(1), int64_t(16)}) {
                std::vector<float> x(static_cast<size_t>(rows * K)), y(static_cast<size_t>(rows * N));
                for (float& v : x) v = gauss(rng);
                packed->forward(x.data(), rows, y.data());
                double err2 = 0, ref2 = 0;
                for (int64_t a = 0; a < rows; ++a) {
                    const float* xa = &x[size_t(a * K)];
                    const double xmax = row_max_abs(xa, K), sx = xmax / 127;
                    double xabs = 0;
                    for (int64_t k = 0; k < K; ++k) xabs += std::fabs(double(xa[k]));
                    for (int64_t n = 0; n < N; ++n) {
                        double ref = 0, mag = 0, wqabs = 0, act = 0;
                        for (int64_t k = 0; k < K; ++k) {
                            const double wk = w[size_t(n * K + k)], xk = xa[k];
                            const double qk = std::fabs(double(wq[size_t(n * K + k)]));
                            ref += wk * xk;
                            mag += std::fabs(wk * xk);
                            wqabs += qk;
                            act += qk * (sx / 2 + 4 * kU * std::fabs(xk));
                        }
                        const double got = y[size_t(a * N + n)];
                        err2 += (got - ref) * (got - ref);
                        ref2 += ref * ref;
                        const double g = gamma_n(K + 2) * mag;
                        const double half = step[size_t(n)] * 0.5 * (1 + 1e-5) * xabs;
                        double bound = 0;
                        switch (m) {
                            case Method::fp16: bound = g; break;
                            case Method::bf16: bound = mag / 256 + g; break;
                            case Method::int8_weight_only:
                                bound = half + 0.51 * xmax / (127.0 * 250 * 250) * 1.001 * wqabs + g;
                                break;
                            case Method::int8_dynamic: bound = half + act + g; break;
                            default: bound = INFINITY; break;  // int4: Frobenius below
                        }
                        if (!(std::fabs(got - ref) <= bound + 1e-30))
                            QFAIL(qPrintable(QString("%1 %2 (%3 rows) row %4 out %5: %6 vs %7, bound %8")
                                                 .arg(c.label).arg(QString::fromStdString(mn.name))
                                                 .arg(rows).arg(a).arg(n).arg(got).arg(ref).arg(bound)));
                    }
                }
                const double rel = std::sqrt(err2 / ref2);
                const double frob = m == Method::int8_dynamic && c.options.method == Method::int4
                                        ? 1.5e-2
                                        : c.frobenius;
                qInfo("%s %s (%lld rows): relative error %.3g (bound %.3g)", c.label,
                      mn.name.c_str(), static_cast<long long>(rows), rel, frob);
                if (!(rel <= frob))
                    QFAIL(qPrintable(QString("%1 %2 (%3 rows): relative error %4 > %5")
                                         .arg(c.label).arg(QString::fromStdString(mn.name))
                                         .arg(rows).arg(rel).arg(frob)));
            }
        }
    }
};

QTEST_GUILESS_MAIN(LayerErrorTest)
#include "test_layer_error.moc"
