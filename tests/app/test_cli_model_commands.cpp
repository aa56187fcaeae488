// The foundation's CLI contract, driven as other tools drive it: `stats`, `logits`, `generate`
// and `perplexity` with --json give the pinned keys and numbers that match the independent
// references in ../shared; bad input is exit code 2 with a one-line reason on stderr.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

#include "test_support.h"

namespace {

QJsonObject json_file(const QString& path) {
    return QJsonDocument::fromJson(QByteArray::fromStdString(qs::test::read_text(path))).object();
}

QJsonObject json_of(const qs::test::CliRun& run) { return QJsonDocument::fromJson(run.out).object(); }

QString join_ids(const QJsonArray& ids) {
    QStringList parts;
    for (const QJsonValue& v : ids) parts << QString::number(v.toInteger());
    return parts.join(QLatin1Char(','));
}

// Parameters of a Llama/Qwen2 decoder counted from its config.json alone.
qint64 parameters_from_config(const QJsonObject& c) {
    const qint64 h = c["hidden_size"].toInteger(), i = c["intermediate_size"].toInteger();
    const qint64 v = c["vocab_size"].toInteger(), layers = c["num_hidden_layers"].toInteger();
    const qint64 heads = c["num_attention_heads"].toInteger();
    const qint64 head_dim = c.contains("head_dim") ? c["head_dim"].toInteger() : h / heads;
    const qint64 q = heads * head_dim, kv = c["num_key_value_heads"].toInteger() * head_dim;
    const bool bias = c["model_type"].toString() == "qwen2";
    const qint64 attention = h * q + 2 * h * kv + q * h + (bias ? q + 2 * kv : 0);
    const qint64 per_layer = attention + 3 * h * i + 2 * h;
    const bool tied = c["tie_word_embeddings"].toBool();
    return v * h * (tied ? 1 : 2) + layers * per_layer + h;
}

}  // namespace

class CliModelCommandsTest : public QObject {
    Q_OBJECT
private slots:
    void statsCountsWhatConfigDescribes_data() {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<QString>("architecture");
        QTest::addColumn<QString>("dtype");
        QTest::newRow("qwen2, tied, BF16") << "reference/hf-tiny-qwen2" << "Qwen2ForCausalLM" << "bf16";
        QTest::newRow("llama, sharded F16") << "reference/hf-tiny-llama" << "LlamaForCausalLM" << "f16";
    }

    void statsCountsWhatConfigDescribes() {
        QFETCH(QString, fixture);
        QFETCH(QString, architecture);
        QFETCH(QString, dtype);
        QS_REQUIRE_SHARED(folder, fixture);
        const QJsonObject config = json_file(folder + "/config.json");
        const auto run = qs::test::run_cli({"stats", folder, "--json"});
        QVERIFY2(run.exit_code == 0, run.err.constData());
        const QJsonObject out = json_of(run);
        for (const char* key : {"model", "architecture", "parameters", "dtype", "method", "weight_bytes",
                                "config", "tokenizer", "layers"})
            QVERIFY2(out.contains(key), key);
        QCOMPARE(out["architecture"].toString(), architecture);
        QCOMPARE(out["dtype"].toString().toLower(), dtype);
        QCOMPARE(out["method"].toString(), QString("fp32"));
        QCOMPARE(out["parameters"].toInteger(), parameters_from_config(config));
        QCOMPARE(out["layers"].toArray().size(), config["num_hidden_layers"].toInteger());
        const QJsonObject c = out["config"].toObject();
        QCOMPARE(c["rope_theta"].toDouble(), config["rope_theta"].toDouble());
        QCOMPARE(c["tie_word_embeddings"].toBool(), config["tie_word_embeddings"].toBool());
    }

    // Full 32000-entry logits row at position 0 and the argmax at every position, as the
    // reference's PyTorch and llama.cpp runs recorded them.
    void logitsMatchReference() {
        QS_REQUIRE_SHARED(folder, "reference/hf-tiny-llama");
        const QJsonObject ref = json_file(folder + "/reference.json");
        const QJsonObject seq = ref["sequences"].toArray()[1].toObject();  // random_33
        const QJsonArray ids = seq["input_ids"].toArray();
        const auto run = qs::test::run_cli({"logits", folder, "--ids", join_ids(ids), "--json"});
        QVERIFY2(run.exit_code == 0, run.err.constData());
        const QJsonObject out = json_of(run);
        QCOMPARE(out["method"].toString(), QString("fp32"));
        const QJsonArray rows = out["logits"].toArray();
        QCOMPARE(rows.size(), ids.size());
        const QJsonArray expected = seq["logits_pos0"].toObject()["values"].toArray();
        const QJsonArray row0 = rows[0].toArray();
        QCOMPARE(row0.size(), expected.size());
        double worst = 0;
        for (qsizetype v = 0; v < row0.size(); ++v)
            worst = std::max(worst, std::abs(row0[v].toDouble() - expected[v].toDouble()));
        QVERIFY2(worst <= 2e-5, qPrintable(QString::number(worst)));
        const QJsonArray argmax = seq["argmax"].toArray();
        for (qsizetype p = 0; p < rows.size(); ++p) {
            const QJsonArray row = rows[p].toArray();
            qsizetype best = 0;
            for (qsizetype v = 1; v < row.size(); ++v)
                if (row[v].toDouble() > row[best].toDouble()) best = v;
            QCOMPARE(qint64(best), argmax[p].toInteger());
        }
    }

    void greedyGenerationMatchesReference() {
        QS_REQUIRE_SHARED(folder, "reference/hf-tiny-llama");
        const QJsonObject ref = json_file(folder + "/reference.json");
        const QJsonObject greedy = ref["greedy"].toObject();
        QJsonArray prompt;
        for (const QJsonValue& s : ref["sequences"].toArray())
            if (s.toObject()["name"] == greedy["prompt"]) prompt = s.toObject()["input_ids"].toArray();
        QVERIFY(!prompt.isEmpty());
        const auto run = qs::test::run_cli({"generate", folder, "--prompt-ids", join_ids(prompt),
                                            "--max-new-tokens", QString::number(greedy["n_new"].toInt()),
                                            "--no-stop", "--json"});
        QVERIFY2(run.exit_code == 0, run.err.constData());
        const QJsonObject out = json_of(run);
        for (const char* key : {"input_ids", "generated_ids", "text", "method", "prefill_seconds",
                                "decode_tokens_per_s", "stopped_at_eos"})
            QVERIFY2(out.contains(key), key);
        QCOMPARE(out["input_ids"].toArray(), prompt);
        QCOMPARE(out["generated_ids"].toArray(), greedy["new_tokens"].toArray());
        QVERIFY(out["decode_tokens_per_s"].toDouble() > 0);
    }

    // The window protocol through the CLI on the reference's text sequence: [BOS] + its 8 tokens
    // is one window of 9 positions, scored as the PyTorch reference scored it.
    void perplexityMatchesReference() {
        QS_REQUIRE_SHARED(folder, "reference/hf-tiny-llama");
        const QJsonObject ref = json_file(folder + "/reference.json");
        const QJsonObject seq = ref["sequences"].toArray()[3].toObject();
        QCOMPARE(seq["name"].toString(), QString("text"));
        QTemporaryDir dir;
        QFile text(dir.filePath("text.txt"));
        QVERIFY(text.open(QIODevice::WriteOnly));
        text.write(seq["text"].toString().toUtf8());
        text.close();
        const qint64 positions = seq["input_ids"].toArray().size();
        const auto run = qs::test::run_cli({"perplexity", folder, "--text-file", text.fileName(), "--window",
                                            QString::number(positions), "--json"});
        QVERIFY2(run.exit_code == 0, run.err.constData());
        const QJsonObject out = json_of(run);
        for (const char* key : {"perplexity", "tokens_scored", "mean_nll", "windows", "window", "text_tokens",
                                "bos", "method", "seconds"})
            QVERIFY2(out.contains(key), key);
        QCOMPARE(out["windows"].toInteger(), 1);
        QCOMPARE(out["tokens_scored"].toInteger(), positions - 1);
        const double nll = out["mean_nll"].toDouble();
        QVERIFY2(std::abs(nll - seq["mean_nll"].toDouble()) <= 1e-5, qPrintable(QString::number(nll, 'g', 10)));
        QVERIFY(std::abs(out["perplexity"].toDouble() - std::exp(nll)) <= 1e-9 * out["perplexity"].toDouble());
    }

    // --method runs a variant in memory; the JSON says which, and int8 weights barely move the
    // stories260K predictions.
    void methodRunsAVariant() {
        QS_REQUIRE_SHARED(model, "data/stories260K/stories260K.bin");
        QS_REQUIRE_SHARED(ref_file, "data/stories260K/reference_outputs.json");
        const QJsonObject greedy = json_file(ref_file)["greedy"].toObject();
        const QJsonArray ids = greedy["ids"].toArray();
        QJsonArray first64;
        for (int i = 0; i < 64; ++i) first64.append(ids[i]);
        const auto run = qs::test::run_cli(
            {"logits", model, "--ids", join_ids(first64), "--method", "int8-weight-only", "--json"});
        QVERIFY2(run.exit_code == 0, run.err.constData());
        const QJsonObject out = json_of(run);
        QCOMPARE(out["method"].toString(), QString("int8-weight-only"));
        // The reference greedy sequence is the fp32 argmax chain: int8 weights keep nearly all of it.
        const QJsonArray rows = out["logits"].toArray();
        int same = 0;
        for (int p = 0; p + 1 < 64; ++p) {
            const QJsonArray row = rows[p].toArray();
            qsizetype best = 0;
            for (qsizetype v = 1; v < row.size(); ++v)
                if (row[v].toDouble() > row[best].toDouble()) best = v;
            same += qint64(best) == first64[p + 1].toInteger();
        }
        QVERIFY2(same >= 60, qPrintable(QString::number(same)));
    }

    void badInputIsExitCode2_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no such model") << QStringList{"stats", "/nonexistent/model"} << "/nonexistent/model";
        QTest::newRow("unknown synthetic preset") << QStringList{"stats", "synthetic:huge"} << "synthetic:huge";
        QTest::newRow("unknown method") << QStringList{"stats", "synthetic:tiny", "--method", "int3"} << "int3";
        QTest::newRow("bad group size")
            << QStringList{"stats", "synthetic:tiny", "--method", "int4", "--group-size", "48"} << "group";
        QTest::newRow("logits without ids") << QStringList{"logits", "synthetic:tiny"} << "--ids";
        QTest::newRow("id outside vocabulary")
            << QStringList{"logits", "synthetic:tiny", "--ids", "1,99999999"} << "outside the vocabulary";
        QTest::newRow("position outside input")
            << QStringList{"logits", "synthetic:tiny", "--ids", "1,2", "--positions", "5"} << "--positions";
        QTest::newRow("perplexity without text") << QStringList{"perplexity", "synthetic:tiny"} << "--text-file";
        QTest::newRow("perplexity text missing")
            << QStringList{"perplexity", "synthetic:tiny", "--text-file", "/nonexistent.txt"} << "cannot open";
        QTest::newRow("generate both prompts")
            << QStringList{"generate", "synthetic:tiny", "--prompt", "a", "--prompt-ids", "1"} << "not both";
        QTest::newRow("unknown option") << QStringList{"stats", "synthetic:tiny", "--frobnicate"} << "--frobnicate";
        QTest::newRow("unknown command") << QStringList{"frobnicate"} << "frobnicate";
        QTest::newRow("threads not a number") << QStringList{"stats", "synthetic:tiny", "--threads", "two"} << "--threads";
    }

    void badInputIsExitCode2() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const auto run = qs::test::run_cli(args, 120000);
        QCOMPARE(run.exit_code, 2);
        QVERIFY2(run.err.contains(message.toUtf8()), run.err.constData());
        QVERIFY2(run.out.isEmpty(), run.out.constData());  // no partial JSON on stdout
    }
};

QTEST_GUILESS_MAIN(CliModelCommandsTest)
#include "test_cli_model_commands.moc"
