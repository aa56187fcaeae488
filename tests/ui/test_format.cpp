// The studio's number formatting (ui/format.h): the summary line's perplexity change against
// fp32, including a change that rounds to zero (it read "-0.0%"), unmeasured values, and how
// the read bandwidth is described.
#include <QtTest>

#include "format.h"

using namespace qs;

namespace {

bench::VariantResult with_perplexity(const char* method, double ppl) {
    bench::VariantResult v;
    v.method = method;
    v.options.method = *parse_method(method);
    v.accuracy.perplexity = ppl;
    return v;
}

}  // namespace

class TestFormat : public QObject {
    Q_OBJECT
private slots:
    void perplexityChange_data() {
        QTest::addColumn<double>("variant");
        QTest::addColumn<QString>("expected");
        QTest::newRow("slightly better") << 5.7105 << "+0.0% perplexity";
        QTest::newRow("slightly worse") << 5.7130 << "+0.0% perplexity";
        QTest::newRow("worse") << 6.1993 << "+8.6% perplexity";
        QTest::newRow("better") << 5.0 << "-12.4% perplexity";
        QTest::newRow("not measured") << bench::kNotMeasured << "perplexity not measured";
    }
    void perplexityChange() {
        QFETCH(double, variant);
        QFETCH(QString, expected);
        const auto fp32 = with_perplexity("fp32", 5.7109);
        const QString line = ui::summary_line(fp32, with_perplexity("int8-dynamic", variant));
        QVERIFY2(line.contains(expected), qPrintable(line));
        QVERIFY2(!line.contains("-0.0%"), qPrintable(line));
    }
    void readBandwidthSaysHowItWasMeasured() {
        bench::BenchmarkResult r;
        QCOMPARE(ui::format_read_bandwidth(r), QStringLiteral("not measured"));
        r.read_bandwidth_gbps = 31.44;  // a run saved before the samples were kept
        QCOMPARE(ui::format_read_bandwidth(r), QStringLiteral("31.4 GB/s"));
        r.read_bandwidth_samples_gbps = {30.1, 31.44, 33.0};
        QCOMPARE(ui::format_read_bandwidth(r),
                 QStringLiteral("31.4 GB/s, median of 3 samples between the speed runs"));
    }
};

QTEST_GUILESS_MAIN(TestFormat)
#include "test_format.moc"
