// `quantscope benchmark`: the JSON report holds the documented keys with measured values, the
// CSV pair is written, bad input is exit code 2, Ctrl-C still writes what was measured (marked
// incomplete, exit 130), --pdf draws the report through the studio, and a variant that cannot load is an error entry, not a crash.
#include <signal.h>

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "test_support.h"

namespace {

QJsonObject read_json(const QString& path) {
    return QJsonDocument::fromJson(QByteArray::fromStdString(qs::test::read_text(path))).object();
}

}  // namespace

class CliBenchmarkTest : public QObject {
    Q_OBJECT
private slots:
    void writesJsonAndCsv() {
        QTemporaryDir dir;
        const QString json = dir.filePath("r.json"), csv = dir.filePath("r.csv");
        const auto run = qs::test::run_cli({"benchmark", "synthetic:tiny", "--methods", "fp32,int8-dynamic",
                                            "--runs", "2", "--warmup", "1", "--eval-tokens", "256",
                                            "--json", json, "--csv", csv});
        QVERIFY2(run.exit_code == 0, run.err.constData());
        QVERIFY(run.out.contains("int8-dynamic"));
        const QJsonObject doc = read_json(json);
        QCOMPARE(doc["format"].toString(), QString("quantscope-benchmark"));
        QCOMPARE(doc["schema_version"].toInt(), 1);
        QVERIFY(doc["complete"].toBool());
        QVERIFY(doc["read_bandwidth_gbps"].toDouble() > 0);
        QVERIFY(doc["system"].toObject()["cpu_flags"].toArray().size() > 0);
        const QJsonArray variants = doc["variants"].toArray();
        QCOMPARE(variants.size(), 2);
        for (const QJsonValue& value : variants) {
            const QJsonObject v = value.toObject();
            for (const char* key : {"method", "weight_bytes", "peak_rss_bytes", "prefill_tokens_per_s",
                                    "decode_tokens_per_s", "latency_ms", "decode_bandwidth_efficiency",
                                    "accuracy", "samples"})
                QVERIFY2(v.contains(key), key);
            QVERIFY(v["weight_bytes"].toDouble() > 0);
            QVERIFY(v["peak_rss_bytes"].toDouble() > v["weight_bytes"].toDouble());  // child process
            QVERIFY(v["decode_tokens_per_s"].toDouble() > 0);
            const QJsonObject latency = v["latency_ms"].toObject();
            QVERIFY(latency["p50"].toDouble() > 0 && latency["p95"].toDouble() >= latency["p50"].toDouble());
            QVERIFY(latency.contains("p99"));
            // 5 default prompts x 2 runs
            QCOMPARE(v["samples"].toObject()["latency_ms"].toArray().size(), 10);
            const QJsonObject acc = v["accuracy"].toObject();
            QVERIFY(acc["perplexity"].toDouble() > 1);
            QVERIFY(acc.contains("top1_agreement") && acc.contains("kl_mean"));
        }
        const QJsonObject int8 = variants[1].toObject();
        QVERIFY(int8["accuracy"].toObject()["top1_agreement"].toDouble() > 0.5);
        QVERIFY(int8["decode_speedup"].toObject()["value"].toDouble() > 0);
        QVERIFY(QFile::exists(csv));
        QVERIFY(QFile::exists(dir.filePath("r-samples.csv")));
        QVERIFY(qs::test::read_text(csv).rfind("method,status,", 0) == 0);
    }

    // --pdf: the studio beside the CLI draws the report; its text holds the run's figures.
    void writesPdf() {
        const QString studio = QFileInfo(qs::test::cli_path()).absolutePath() + "/quantscope-studio";
        if (!QFileInfo(studio).isExecutable()) QSKIP("quantscope-studio not built (QS_BUILD_UI=OFF)");
        if (QStandardPaths::findExecutable("pdftotext").isEmpty()) QSKIP("pdftotext not installed");
        QTemporaryDir dir;
        const QString json = dir.filePath("r.json"), pdf = dir.filePath("r.pdf");
        const auto run = qs::test::run_cli({"benchmark", "synthetic:tiny", "--methods", "fp32,int8-dynamic",
                                            "--runs", "1", "--warmup", "0", "--eval-tokens", "128",
                                            "--no-memory", "--json", json, "--pdf", pdf});
        QVERIFY2(run.exit_code == 0, run.err.constData());
        QProcess text;
        text.start("pdftotext", {pdf, "-"});
        QVERIFY(text.waitForFinished(60000));
        QCOMPARE(text.exitCode(), 0);
        const QString out = QString::fromUtf8(text.readAllStandardOutput());
        const QJsonObject doc = read_json(json);
        QVERIFY(out.contains(doc["system"].toObject()["cpu_model"].toString().left(20)));
        for (const QJsonValue& v : doc["variants"].toArray()) {
            const QString perplexity =
                QString::number(v.toObject()["accuracy"].toObject()["perplexity"].toDouble(), 'f', 3);
            QVERIFY2(out.contains(perplexity), qPrintable(perplexity + " missing from the PDF text"));
        }
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 2);  // no temp left
    }

    void badInputIsExitCode2() {
        auto run = qs::test::run_cli({"benchmark", "synthetic:tiny", "--methods", "fp32,int3"});
        QCOMPARE(run.exit_code, 2);
        QVERIFY(run.err.contains("int3"));
        run = qs::test::run_cli({"benchmark", "synthetic:tiny", "--runs", "0"});
        QCOMPARE(run.exit_code, 2);
        run = qs::test::run_cli({"benchmark", "synthetic:tiny", "--eval-text", "/nonexistent/file.txt"});
        QCOMPARE(run.exit_code, 2);
        QVERIFY(run.err.contains("/nonexistent/file.txt"));
        run = qs::test::run_cli({"benchmark", "/nonexistent/model"});
        QCOMPARE(run.exit_code, 2);
    }

    void sigintWritesPartialResult() {
        QTemporaryDir dir;
        const QString json = dir.filePath("partial.json");
        QProcess p;
        p.start(qs::test::cli_path(), {"benchmark", "synthetic:tiny", "--methods", "fp32,int4", "--runs", "100000",
                                       "--warmup", "0", "--no-memory", "--json", json});
        QVERIFY(p.waitForStarted());
        QByteArray err;
        // Wait until timed runs are under way, then press Ctrl-C.
        for (int i = 0; i < 600 && !err.contains("Speed"); ++i) {
            p.waitForReadyRead(100);
            err += p.readAllStandardError();
        }
        QVERIFY2(err.contains("Speed"), err.constData());
        QTest::qWait(1000);
        ::kill(static_cast<pid_t>(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 130);
        const QJsonObject doc = read_json(json);
        QCOMPARE(doc["complete"].toBool(true), false);
        const QJsonArray samples = doc["variants"].toArray()[0].toObject()["samples"].toObject()["latency_ms"].toArray();
        QVERIFY(samples.size() > 0);
    }

    // A folder already quantized to int8 loads as is (the reference entry) but cannot be
    // quantized again: that variant must come back as an error entry.
    void failingVariantIsAnErrorEntry() {
        QTemporaryDir dir;
        const QString folder = dir.filePath("q8");
        auto quantize = qs::test::run_cli({"quantize", "synthetic:tiny", "--method", "int8-dynamic", "-o", folder});
        if (quantize.exit_code != 0) QSKIP("`quantscope quantize` is not available in this build");
        const QString json = dir.filePath("r.json");
        const auto run = qs::test::run_cli({"benchmark", folder, "--methods", "fp32,int4", "--runs", "1",
                                            "--warmup", "0", "--eval-tokens", "128", "--no-memory", "--json", json});
        QVERIFY2(run.exit_code == 0, run.err.constData());
        const QJsonArray variants = read_json(json)["variants"].toArray();
        QCOMPARE(variants.size(), 2);
        QCOMPARE(variants[0].toObject()["status"].toString(), QString("ok"));
        QCOMPARE(variants[1].toObject()["status"].toString(), QString("failed"));
        QVERIFY(variants[1].toObject()["error"].toString().contains("already quantized"));
        QVERIFY(run.out.contains("failed"));
    }
};

QTEST_GUILESS_MAIN(CliBenchmarkTest)
#include "test_cli_benchmark.moc"
