// `quantscope tokenize`: JSON ids and pieces equal python3-sentencepiece's Llama 2 reference,
// the tokenizer can be found beside a MODEL, and bad input is exit code 2 with a one-line reason.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "test_support.h"

namespace {

struct Reference {
    QJsonArray ids;
    QJsonArray pieces;
};

// The reference entry of text in a reference_tokenizations.json file.
Reference reference_of(const QString& file, const QString& text) {
    const QJsonArray cases =
        QJsonDocument::fromJson(QByteArray::fromStdString(qs::test::read_text(file))).array();
    for (const QJsonValue& c : cases)
        if (c.toObject()["text"].toString() == text)
            return {c.toObject()["ids"].toArray(), c.toObject()["pieces"].toArray()};
    qFatal("no reference for \"%s\" in %s", qPrintable(text), qPrintable(file));
}

QJsonObject json_of(const qs::test::CliRun& run) {
    return QJsonDocument::fromJson(run.out).object();
}

}  // namespace

class CliTokenizeTest : public QObject {
    Q_OBJECT
private slots:
    void llama2MatchesReference_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("ascii") << "Once upon a time, there was a little girl named Lily.";
        QTest::newRow("accents") << QString::fromUtf8("café naïve façade jalapeño résumé");
        QTest::newRow("emoji") << QString::fromUtf8("I love 🍕 and 🎉!");
        QTest::newRow("leading spaces") << "  two leading spaces";
    }

    void llama2MatchesReference() {
        QFETCH(QString, text);
        QS_REQUIRE_SHARED(model, "data/tokenizers/llama2/tokenizer.model");
        QS_REQUIRE_SHARED(file, "data/tokenizers/llama2/reference_tokenizations.json");
        const Reference expected = reference_of(file, text);
        const auto run = qs::test::run_cli({"tokenize", "--tokenizer", model, "--text", text, "--json"});
        QVERIFY2(run.exit_code == 0, run.err.constData());
        const QJsonObject out = json_of(run);
        QCOMPARE(out["ids"].toArray(), expected.ids);
        QCOMPARE(out["pieces"].toArray(), expected.pieces);
    }

    // MODEL positional: hf-tiny-llama keeps tokenizer.model in its folder.
    void tokenizerBesideModel() {
        QS_REQUIRE_SHARED(folder, "reference/hf-tiny-llama");
        const auto run = qs::test::run_cli(
            {"tokenize", folder, "--text", "Quantization makes models smaller and faster.", "--json"});
        QVERIFY2(run.exit_code == 0, run.err.constData());
        QCOMPARE(json_of(run)["ids"].toArray(),
                 (QJsonArray{22746, 2133, 3732, 4733, 7968, 322, 8473, 29889}));
    }

    void textOutputIsIdTabPiece() {
        QS_REQUIRE_SHARED(model, "data/tokenizers/llama2/tokenizer.model");
        const auto run = qs::test::run_cli({"tokenize", "--tokenizer", model, "--text", "Hello world"});
        QVERIFY2(run.exit_code == 0, run.err.constData());
        QCOMPARE(QString::fromUtf8(run.out), QString::fromUtf8("15043\t▁Hello\n3186\t▁world\n"));
    }

    void missingTokenizerIsExitCode2() {
        const QString missing = "/nonexistent/quantscope-test/tokenizer.model";
        const auto run = qs::test::run_cli({"tokenize", "--tokenizer", missing, "--text", "hi", "--json"});
        QCOMPARE(run.exit_code, 2);
        QVERIFY(run.out.isEmpty());
        QVERIFY2(run.err.contains(missing.toUtf8()), run.err.constData());
        QCOMPARE(run.err.count('\n'), 1);
    }

    void modelWithoutTokenizerIsExitCode2() {
        const auto run = qs::test::run_cli({"tokenize", "synthetic:tiny", "--text", "hi"});
        QCOMPARE(run.exit_code, 2);
        QVERIFY2(run.err.contains("no tokenizer"), run.err.constData());
    }

    void missingTextIsAUsageError() {
        const auto run = qs::test::run_cli({"tokenize", "--tokenizer", "x.model"});
        QCOMPARE(run.exit_code, 2);
        QVERIFY2(run.err.contains("--text"), run.err.constData());
    }
};

QTEST_GUILESS_MAIN(CliTokenizeTest)
#include "test_cli_tokenize.moc"
