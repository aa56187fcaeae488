// The chart, table and summary code against hand-made results: what is drawn must be exactly
// the figures in the result (bins recounted here independently), and NaN must read
// "not measured", never 0.
#include <qcustomplot.h>

#include <QLabel>
#include <QTableWidget>
#include <QtTest>
#include <cmath>

#include "charts.h"
#include "format.h"
#include "results_view.h"

using namespace qs;
using namespace qs::ui;

namespace {

bench::VariantResult variant(Method m, std::vector<double> decode, double tok_s, int64_t weights,
                             int64_t rss) {
    bench::VariantResult v;
    v.options.method = m;
    v.method = method_name(m);
    v.decode_token_ms = std::move(decode);
    v.decode_tokens_per_s = tok_s;
    v.weight_bytes = weights;
    v.peak_rss_bytes = rss;
    std::vector<double> sorted = v.decode_token_ms;
    std::sort(sorted.begin(), sorted.end());
    v.decode_token.n = int64_t(sorted.size());
    v.decode_token.p50 = sorted[sorted.size() / 2];
    v.decode_token.p95 = sorted[sorted.size() * 95 / 100];
    v.decode_token.p99 = sorted.back();
    return v;
}

bench::BenchmarkResult sample_result() {
    bench::BenchmarkResult r;
    r.settings.model = "synthetic:tiny";
    auto fp32 = variant(Method::fp32, {10, 11, 12, 12, 13, 14, 15, 30}, 80.0, 4000000, 60000000);
    fp32.accuracy.perplexity = 12.0;
    fp32.accuracy.top1_agreement = 1.0;
    fp32.accuracy.kl_mean = 0.0;
    auto int8 = variant(Method::int8_dynamic, {3, 3.5, 4, 4, 4.2, 5, 9}, 296.0, 1080000, 16200000);
    int8.decode_speedup.value = 3.7;
    int8.accuracy.perplexity = 12.072;
    int8.accuracy.top1_agreement = 0.992;
    int8.accuracy.kl_mean = 0.004;
    int8.accuracy.worst.push_back({17, "the cat", " sat", " sat", " ran", 0.8});
    r.variants = {fp32, int8};
    return r;
}

QCPBars* bars_named(QCustomPlot* plot, const QString& name) {
    for (int i = 0; i < plot->plottableCount(); ++i)
        if (plot->plottable(i)->name() == name) return qobject_cast<QCPBars*>(plot->plottable(i));
    return nullptr;
}

}  // namespace

class TestCharts : public QObject {
    Q_OBJECT
private slots:
    void histogramsShareBinsAndCountEverySample() {
        const bench::BenchmarkResult r = sample_result();
        QCustomPlot plot;
        plot_latency(&plot, r, SampleKind::decode_token);
        double width = -1, lo = 1e9, hi = -1e9;
        for (const auto& v : r.variants) {
            QCPBars* bars = bars_named(&plot, QString::fromStdString(v.method));
            QVERIFY(bars);
            if (width < 0) width = bars->width();
            QCOMPARE(bars->width(), width);  // same bins for every variant
            double total = 0;
            for (auto it = bars->data()->constBegin(); it != bars->data()->constEnd(); ++it) {
                // recount the samples in this bar's interval independently
                int count = 0;
                const double lower = it->key - width / 2, upper = it->key + width / 2;
                for (double x : v.decode_token_ms)  // the maximum (30) closes the last bar
                    if (x >= lower && (x < upper || (x == 30.0 && std::abs(upper - 30.0) < 1e-9)))
                        ++count;
                QCOMPARE(int(it->value), count);
                total += it->value;
            }
            QCOMPARE(int(total), int(v.decode_token_ms.size()));
            lo = std::min(lo, bars->keyAxis()->range().lower);
            hi = std::max(hi, bars->keyAxis()->range().upper);
            // same axes for every variant
            QCOMPARE(bars->keyAxis()->range().lower, 3.0);
            QCOMPARE(bars->keyAxis()->range().upper, 30.0);
        }
        // P50/P95/P99 markers at the summary's values
        int markers = 0;
        for (int i = 0; i < plot.itemCount(); ++i) {
            auto* line = qobject_cast<QCPItemStraightLine*>(plot.item(i));
            if (!line) continue;
            ++markers;
            const QStringList parts = line->objectName().split(' ');
            for (const auto& v : r.variants)
                if (QString::fromStdString(v.method) == parts[0]) {
                    const double expect = parts[1] == "P50" ? v.decode_token.p50
                                        : parts[1] == "P95" ? v.decode_token.p95 : v.decode_token.p99;
                    QCOMPARE(line->point1->coords().x(), expect);
                }
        }
        QCOMPARE(markers, 6);
    }

    void memoryAndAccuracyBarsHoldTheResult() {
        const bench::BenchmarkResult r = sample_result();
        QCustomPlot memory, accuracy;
        plot_memory(&memory, r);
        plot_accuracy(&accuracy, r);
        QCPBars* weights = bars_named(&memory, "weights");
        QCPBars* rss = bars_named(&memory, "peak RSS");
        QVERIFY(weights && rss);
        QCOMPARE(weights->data()->size(), 2);
        QCOMPARE(weights->data()->at(1)->value, 1080000 / 1048576.0);
        QCOMPARE(rss->data()->at(0)->value, 60000000 / 1048576.0);
        QCPBars* ppl = bars_named(&accuracy, "perplexity");
        QVERIFY(ppl);
        QCOMPARE(ppl->data()->at(1)->value, 12.072);
        QCOMPARE(bars_named(&accuracy, "top-1 agreement")->data()->at(1)->value, 99.2);
        // task accuracy was not measured: no bar at all rather than a zero bar
        QCOMPARE(bars_named(&accuracy, "task accuracy")->data()->size(), 0);
    }

    void summaryLineStatesMeasuredRatios() {
        const bench::BenchmarkResult r = sample_result();
        const QString line = summary_line(r.variants[0], r.variants[1]);
        QCOMPARE(line, QStringLiteral("int8-dynamic: 3.7× faster decode · 73% less memory · "
                                      "99.2% top-1 agreement · +0.6% perplexity"));
        bench::VariantResult unmeasured = r.variants[1];
        unmeasured.decode_speedup.value = bench::kNotMeasured;
        unmeasured.decode_tokens_per_s = bench::kNotMeasured;
        unmeasured.accuracy.perplexity = bench::kNotMeasured;
        const QString partial = summary_line(r.variants[0], unmeasured);
        QVERIFY2(partial.contains("decode speed not measured"), qPrintable(partial));
        QVERIFY2(partial.contains("perplexity not measured"), qPrintable(partial));
        QCOMPARE(format_number(bench::kNotMeasured), QStringLiteral("not measured"));
        QCOMPARE(format_bytes(-1), QStringLiteral("not measured"));
    }

    void tablesShowNotMeasured() {
        bench::BenchmarkResult r = sample_result();
        ResultsView view;
        view.setResult(r);
        QCOMPARE(view.speedTable()->rowCount(), 2);
        QCOMPARE(view.speedTable()->item(1, 3)->text(), QStringLiteral("296.0"));
        // fp32 has no task accuracy: the accuracy table says so
        QCOMPARE(view.accuracyTable()->item(0, 5)->text(), QStringLiteral("not measured"));
        QCOMPARE(view.worstTable()->rowCount(), 1);
        QCOMPARE(view.worstTable()->item(0, 2)->text(), QStringLiteral("the cat"));
        QVERIFY(view.summaryLabel()->text().contains("3.7× faster decode"));
    }

    void emptyResultDrawsWithoutCrashing() {
        ResultsView view;
        view.setResult(bench::BenchmarkResult{});
        QCOMPARE(view.speedTable()->rowCount(), 0);
        QCOMPARE(view.latencyPlot()->plottableCount(), 0);
    }
};

QTEST_MAIN(TestCharts)
#include "test_charts.moc"
