// The PDF report against a hand-made result whose figures are as wide as real ones get (a tiny
// model decodes at 100k+ tok/s): every cell of the speed and accuracy tables must come back
// whole from the PDF's text, so no number is wrapped, elided or split across lines; and no word
// may run past the right margin (a long worst-token context wraps instead).
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "format.h"
#include "pdf_report.h"
#include "results_view.h"

using namespace qs;
using namespace qs::ui;

namespace {

bench::VariantResult variant(Method m, double prefill, double decode, int64_t weights) {
    bench::VariantResult v;
    v.options.method = m;
    v.method = method_name(m);
    v.prefill_tokens_per_s = prefill;
    v.decode_tokens_per_s = decode;
    v.decode_token_ms = {0.0095, 0.0096, 0.0101, 0.0123};
    v.decode_token.p50 = 0.0101;
    v.ttft.p50 = 0.081;
    v.latency.p50 = 123.4;
    v.weight_bytes = weights;
    v.peak_rss_bytes = 2312345678;
    v.quantize_seconds = 1234.56;
    v.accuracy.perplexity = 123456.789;
    v.accuracy.top1_agreement = 0.987654;
    v.accuracy.kl_mean = 0.0123456;
    v.accuracy.kl_p99 = 1.2345678;
    v.accuracy.task_accuracy = 0.8765;
    v.accuracy.tokens_scored = 123456;
    v.accuracy.task_rows = 4321;
    if (m != Method::fp32)
        for (int i = 0; i < 3; ++i)
            v.accuracy.worst.push_back({123456 + i, QString(40, 'x').replace("x", "once upon a time ").toStdString(),
                                        " dragon", " the", " a", 12.3456 + i});
    return v;
}

QString pdf_text(const QString& pdf, const QStringList& options) {
    QProcess p;
    p.start("pdftotext", options + QStringList{pdf, "-"});
    if (!p.waitForFinished(60000) || p.exitCode() != 0) return {};
    return QString::fromUtf8(p.readAllStandardOutput());
}

// The largest right edge of any word, as a fraction of the page width (pdftotext -bbox).
double rightmost_word(const QString& bbox_html) {
    const QRegularExpression page(QStringLiteral(R"re(<page width="([0-9.]+)")re"));
    const QRegularExpression word(QStringLiteral(R"re(<word [^>]*xMax="([0-9.]+)")re"));
    const double width = page.match(bbox_html).captured(1).toDouble();
    double right = 0;
    for (auto it = word.globalMatch(bbox_html); it.hasNext();) right = std::max(right, it.next().captured(1).toDouble());
    return width > 0 ? right / width : 1e9;
}

}  // namespace

class TestPdfReport : public QObject {
    Q_OBJECT
private slots:
    void everyTableCellIsWholeInThePdfText() {
        if (QStandardPaths::findExecutable("pdftotext").isEmpty()) QSKIP("pdftotext not installed");
        bench::BenchmarkResult r;
        r.settings.model = "synthetic:tiny";
        r.variants = {variant(Method::fp32, 1234567.8, 105335.2, 2012345678),
                      variant(Method::int8_dynamic, 2345678.9, 398765.4, 512345678),
                      variant(Method::int8_weight_only, 2345678.9, 298765.4, 512345678),
                      variant(Method::int4, 1345678.9, 498765.4, 362345678)};
        for (size_t i = 1; i < r.variants.size(); ++i) r.variants[i].decode_speedup = {3.786, {3.701, 3.912}};
        QTemporaryDir dir;
        const QString pdf = dir.filePath("report.pdf");
        QVERIFY(write_pdf_report(pdf, r).ok());
        const QString text = pdf_text(pdf, {});
        QVERIFY(!text.isEmpty());
        const auto all_cells_whole = [&](const TextTable& t, int skip_column) {
            for (const QStringList& row : t.rows)
                for (int i = 0; i < row.size(); ++i)
                    if (i != skip_column && !text.contains(row[i].trimmed())) return row[i];
            return QString();
        };
        QCOMPARE(all_cells_whole(speed_table(r), -1), QString());
        QCOMPARE(all_cells_whole(accuracy_table(r), -1), QString());
        // the context is prose and may wrap; its neighbours are figures and tokens
        for (const bench::VariantResult& v : r.variants)
            QCOMPARE(all_cells_whole(worst_table(v), kWorstContextColumn), QString());
        // A4 is 210 mm wide with 15 mm margins: words end before 195/210 of the width.
        const double right = rightmost_word(pdf_text(pdf, {"-bbox"}));
        QVERIFY2(right <= 195.5 / 210.0, qPrintable(QString::number(right * 210, 'f', 1) + " mm from the left edge"));
    }
    // The system table's Qt row names the studio's Qt for a studio run and says that a CLI run
    // (whose PDF the studio only drew) used none; it was once left blank.
    void qtRowSaysWhichQtRanTheBenchmark() {
        if (QStandardPaths::findExecutable("pdftotext").isEmpty()) QSKIP("pdftotext not installed");
        const QString cli = QStringLiteral("not used (run from the CLI)");
        bench::BenchmarkResult r;
        r.settings.model = "synthetic:tiny";
        r.variants = {variant(Method::fp32, 1234.5, 105.3, 2012345678)};
        QTemporaryDir dir;
        const QString pdf = dir.filePath("report.pdf");
        QVERIFY(write_pdf_report(pdf, r).ok());
        QVERIFY(pdf_text(pdf, {}).contains(cli));
        r.system.qt_version = "6.4.2";
        QVERIFY(write_pdf_report(pdf, r).ok());
        const QString studio = pdf_text(pdf, {});
        QVERIFY(!studio.contains(cli));
        QVERIFY(studio.contains(QStringLiteral("6.4.2")));
    }
};

QTEST_MAIN(TestPdfReport)
#include "test_pdf_report.moc"
