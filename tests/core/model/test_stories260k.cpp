// A real pretrained llama2.c checkpoint against an independent float64 NumPy re-implementation
// of run.c (../shared/data/stories260K/reference_outputs.json): 256 greedy steps from BOS, the
// full logits at four positions, and perplexity on the TinyStories sample under its protocol.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <cmath>

#include "common/parallel.h"
#include "eval/perplexity.h"
#include "model/generate.h"
#include "model/model.h"
#include "test_support.h"
#include "tokenizer/tokenizer.h"

class TestStories260K : public QObject {
    Q_OBJECT

    QJsonObject reference_;
    std::shared_ptr<qs::Model> model_;

private slots:
    void initTestCase() {
        qs::set_num_threads(2);
        const QString ref = qs::test::shared_file("data/stories260K/reference_outputs.json");
        const QString bin = qs::test::shared_file("data/stories260K/stories260K.bin");
        if (ref.isEmpty() || bin.isEmpty())
            QSKIP("shared data not found: ../shared/data/stories260K (set QS_SHARED_DIR)");
        reference_ = QJsonDocument::fromJson(QByteArray::fromStdString(qs::test::read_text(ref))).object();
        auto loaded = qs::Model::load(bin.toStdString());
        QVERIFY2(loaded, loaded ? "" : loaded.error().message.c_str());
        model_ = loaded.value();
    }

    void config_matches_header() {
        const QJsonObject c = reference_["config"].toObject();
        QCOMPARE(model_->config().hidden_size, c["dim"].toInteger());
        QCOMPARE(model_->config().intermediate_size, c["hidden_dim"].toInteger());
        QCOMPARE(model_->config().num_layers, c["n_layers"].toInteger());
        QCOMPARE(model_->config().vocab_size, c["vocab_size"].toInteger());
        QVERIFY(model_->adds_bos());
        QCOMPARE(*model_->bos_id(), c["bos_id"].toInt());
    }

    void tokenizes_example() {
        const QJsonObject ex = reference_["tokenize_example"].toObject();
        auto ids = model_->encode_prompt(ex["text"].toString().toStdString());
        QVERIFY(ids);
        std::vector<int32_t> expected;
        for (const auto& v : ex["ids_with_bos"].toArray()) expected.push_back(v.toInt());
        QCOMPARE(ids.value(), expected);
    }

    void greedy_256_steps_from_bos() {
        const QJsonObject g = reference_["greedy"].toObject();
        std::vector<int32_t> expected;
        for (const auto& v : g["ids"].toArray()) expected.push_back(v.toInt());
        qs::GenerateOptions options;
        options.max_new_tokens = int64_t(expected.size()) - 1;  // the reference's ids include BOS
        options.stop_at_eos = false;
        auto r = qs::generate(*model_, {expected.front()}, options);
        QVERIFY2(r, r ? "" : r.error().message.c_str());
        std::vector<int32_t> got = r.value().input_ids;
        got.insert(got.end(), r.value().generated_ids.begin(), r.value().generated_ids.end());
        QCOMPARE(got, expected);
    }

    void logits_within_1e_4() {
        const QJsonObject l = reference_["logits"].toObject();
        std::vector<int32_t> ids;
        for (const auto& v : l["input_ids"].toArray()) ids.push_back(v.toInt());
        const QJsonArray rows = l["positions"].toArray();
        std::vector<int64_t> positions;
        for (qsizetype p = 0; p < rows.size(); ++p) positions.push_back(p);
        auto logits = model_->logits(ids, positions);
        QVERIFY(logits);
        for (qsizetype p = 0; p < rows.size(); ++p) {
            const QJsonArray row = rows[p].toArray();
            QCOMPARE(qsizetype(logits.value()[size_t(p)].size()), row.size());
            double worst = 0;
            for (qsizetype i = 0; i < row.size(); ++i)
                worst = std::max(worst, std::abs(double(logits.value()[size_t(p)][size_t(i)]) - row[i].toDouble()));
            QVERIFY2(worst <= 1e-4, qPrintable(QStringLiteral("position %1: max |diff| %2").arg(p).arg(worst)));
        }
    }

    void perplexity_on_tinystories() {
        QS_REQUIRE_SHARED(corpus, "data/corpora/tinystories_sample.txt");
        const QJsonObject ref = reference_["perplexity"].toObject();
        const std::vector<int32_t> ids = model_->tokenizer()->encode(qs::test::read_text(corpus));
        QCOMPARE(int64_t(ids.size()), ref["n_tokens_total"].toInteger());
        auto r = qs::perplexity(*model_, ids, 512);
        QVERIFY2(r, r ? "" : r.error().message.c_str());
        QCOMPARE(r.value().windows, ref["n_windows"].toInteger());
        QCOMPARE(r.value().tokens_scored, ref["n_scored"].toInteger());
        // The float32 forward pass agrees with the float64 reference to ~1e-6 in mean NLL; the
        // issue's bound is 0.5% of perplexity, far looser than what we hold ourselves to here.
        QVERIFY2(std::abs(r.value().mean_nll - ref["mean_nll"].toDouble()) < 1e-4,
                 qPrintable(QStringLiteral("mean NLL %1 vs %2").arg(r.value().mean_nll, 0, 'g', 10)
                                .arg(ref["mean_nll"].toDouble(), 0, 'g', 10)));
        QVERIFY(std::abs(r.value().perplexity / ref["ppl"].toDouble() - 1) < 0.005);
    }
};

QTEST_GUILESS_MAIN(TestStories260K)
#include "test_stories260k.moc"
