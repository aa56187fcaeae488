// The malformed-model corpus (tests/data/malformed) against core directly: for every case the
// CLI's `stats` rejects, Model::inspect (metadata only), Model::load and quantize_model all fail
// with the manifest's message, and quantize_model leaves nothing in its output folder. In-process,
// so every case runs through every entry point in well under a second.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "model/model.h"
#include "model/quantize_model.h"
#include "test_support.h"

namespace {

QString corpus_dir() { return qs::test::source_dir() + "/tests/data/malformed"; }

}  // namespace

class MalformedModelsTest : public QObject {
    Q_OBJECT
private slots:
    void validBasesLoad_data() {
        QTest::addColumn<QString>("path");
        for (const char* p : {"_valid/hf", "_valid/hf-extra-tensors", "_valid/quantized-int8",
                              "_valid/llama2c/model.bin", "_valid/hf-tokenizer"})
            QTest::newRow(p) << corpus_dir() + "/" + p;
    }

    void validBasesLoad() {
        QFETCH(QString, path);
        auto info = qs::Model::inspect(path.toStdString());
        QVERIFY2(info.ok(), info.ok() ? "" : info.error().message.c_str());
        auto model = qs::Model::load(path.toStdString());
        QVERIFY2(model.ok(), model.ok() ? "" : model.error().message.c_str());
        const auto logits = (*model)->logits({1, 2, 3}, {2});
        QVERIFY(logits.ok() && logits->front().size() == 8);
    }

    void everyEntryPointRejects_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("expected");
        QFile f(corpus_dir() + "/MANIFEST.tsv");
        QVERIFY(f.open(QIODevice::ReadOnly));
        for (const QString& line : QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts)) {
            const QStringList cols = line.split('\t');
            // Rows for other commands (tokenize, generate) fail in the CLI, not in loading.
            if (line.startsWith('#') || cols.size() != 3 || cols[2] != QLatin1String("stats")) continue;
            QTest::newRow(qPrintable(cols[0])) << corpus_dir() + "/" + cols[0] << cols[1];
        }
    }

    void everyEntryPointRejects() {
        QFETCH(QString, path);
        QFETCH(QString, expected);
        const std::string spec = path.toStdString(), want = expected.toStdString();
        auto check = [&](const char* what, const qs::Error& e) {
            QVERIFY2(e.message.find(want) != std::string::npos,
                     qPrintable(QString("%1: \"%2\" lacks \"%3\"").arg(what, e.message.c_str(), expected)));
            QVERIFY2(e.message.find('\n') == std::string::npos, e.message.c_str());
        };
        auto info = qs::Model::inspect(spec);
        QVERIFY(!info.ok());
        check("inspect", info.error());
        auto model = qs::Model::load(spec);
        QVERIFY(!model.ok());
        check("load", model.error());

        QTemporaryDir out;
        qs::LoadOptions options;
        options.quant.method = qs::Method::int8_dynamic;
        auto report = qs::quantize_model(spec, options, out.filePath("q").toStdString(), false);
        QVERIFY(!report.ok());
        check("quantize", report.error());
        QVERIFY(QDir(out.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot).isEmpty());
    }
};

QTEST_GUILESS_MAIN(MalformedModelsTest)
#include "test_malformed_models.moc"
