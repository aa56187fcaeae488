// The built-in demo model (resources/models/quantscope-stories-3m) as core loads it, against the
// numbers its trainer (tools/train_demo_model, libtorch) recorded in training.json on the same
// weights: held-out perplexity and task accuracy must match, int8-dynamic must keep the FP32
// top-1 predictions, and the tokenizer must give back the text it was given.
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <cmath>

#include "common/parallel.h"
#include "eval/perplexity.h"
#include "eval/task.h"
#include "model/model.h"
#include "test_support.h"
#include "tokenizer/tokenizer.h"

namespace {

int32_t argmax(const float* logits, int64_t vocab) {
    int32_t best = 0;
    for (int64_t i = 1; i < vocab; ++i)
        if (logits[i] > logits[best]) best = int32_t(i);
    return best;
}

}  // namespace

class TestDemoModel : public QObject {
    Q_OBJECT

    QString dir_;
    QJsonObject training_;
    std::shared_ptr<qs::Model> model_;
    std::vector<int32_t> eval_ids_;

private slots:
    void initTestCase() {
        qs::set_num_threads(2);
        dir_ = qs::test::source_dir() + "/resources/models/quantscope-stories-3m";
        training_ = QJsonDocument::fromJson(QByteArray::fromStdString(
                                                qs::test::read_text(dir_ + "/training.json")))
                        .object();
        QVERIFY2(!training_.isEmpty(), "training.json is missing or not JSON");
        auto loaded = qs::Model::load(dir_.toStdString());
        QVERIFY2(loaded, loaded ? "" : loaded.error().message.c_str());
        model_ = loaded.value();
        QVERIFY(model_->tokenizer() != nullptr);
        eval_ids_ = model_->tokenizer()->encode(qs::test::read_text(dir_ + "/eval.txt"));
    }

    void loads_as_recorded() {
        const QJsonObject m = training_["model"].toObject();
        const qs::ModelConfig& c = model_->config();
        QCOMPARE(c.vocab_size, m["vocab_size"].toInteger());
        QCOMPARE(c.hidden_size, m["hidden_size"].toInteger());
        QCOMPARE(c.num_layers, m["num_hidden_layers"].toInteger());
        QCOMPARE(model_->info().parameters, m["parameters"].toInteger());
        QCOMPARE(QString::fromStdString(model_->info().stored_dtype).toLower(), QString("bf16"));
        QVERIFY(model_->adds_bos());
        QCOMPARE(model_->tokenizer()->vocab_size(), int32_t(c.vocab_size));
        // The size bound on the shipped folder.
        qint64 bytes = 0;
        for (const QFileInfo& f : QDir(dir_).entryInfoList(QDir::Files)) bytes += f.size();
        QVERIFY2(bytes <= 8 * 1024 * 1024, qPrintable(QString::number(bytes) + " bytes"));
    }

    void heldout_perplexity_matches_trainer() {
        const QJsonObject recorded = training_["heldout_perplexity"].toObject();
        auto ppl = qs::perplexity(*model_, eval_ids_, 0);
        QVERIFY2(ppl, ppl ? "" : ppl.error().message.c_str());
        QCOMPARE(ppl.value().window, recorded["window"].toInteger());
        QCOMPARE(ppl.value().tokens_scored, recorded["tokens_scored"].toInteger());
        const double expected = recorded["value"].toDouble();
        QVERIFY2(std::abs(ppl.value().perplexity / expected - 1.0) <= 0.01,
                 qPrintable(QString("core %1, trainer %2").arg(ppl.value().perplexity).arg(expected)));
        // The quality bar.
        QVERIFY(ppl.value().perplexity <= double(model_->config().vocab_size) / 10.0);
    }

    void int8_dynamic_keeps_top1() {
        auto int8 = qs::Model::load(dir_.toStdString(),
                                    qs::LoadOptions{qs::QuantOptions{qs::Method::int8_dynamic}});
        QVERIFY2(int8, int8 ? "" : int8.error().message.c_str());
        QCOMPARE(int8.value()->info().method, qs::Method::int8_dynamic);
        auto windows = qs::make_windows(*model_, eval_ids_, 0);
        QVERIFY2(windows, windows ? "" : windows.error().message.c_str());
        const int64_t vocab = model_->config().vocab_size;
        int64_t same = 0, total = 0;
        for (const std::vector<int32_t>& input : windows.value().inputs) {
            // Every position but the last predicts a scored token.
            std::vector<int64_t> positions(input.size() - 1);
            for (size_t i = 0; i < positions.size(); ++i) positions[i] = int64_t(i);
            std::vector<int32_t> reference;
            QVERIFY(model_->forward(input, positions, [&](int64_t, const float* logits) {
                reference.push_back(argmax(logits, vocab));
            }));
            size_t k = 0;
            QVERIFY(int8.value()->forward(input, positions, [&](int64_t, const float* logits) {
                same += argmax(logits, vocab) == reference[k++];
            }));
            total += int64_t(positions.size());
        }
        QVERIFY(total > 1000);
        const double agreement = double(same) / double(total);
        qInfo("int8-dynamic top-1 agreement %.4f over %lld positions", agreement,
              static_cast<long long>(total));
        QVERIFY2(agreement >= 0.97, qPrintable(QString::number(agreement)));
    }

    void task_accuracy_matches_trainer() {
        auto rows = qs::load_task((dir_ + "/task.jsonl").toStdString(), "", 0);
        QVERIFY2(rows, rows ? "" : rows.error().message.c_str());
        const QJsonObject recorded = training_["task_accuracy"].toObject();
        QCOMPARE(int64_t(rows.value().size()), recorded["rows"].toInteger());
        auto accuracy = qs::task_accuracy(*model_, rows.value());
        QVERIFY2(accuracy, accuracy ? "" : accuracy.error().message.c_str());
        // Identical scoring on identical weights; allow one row of floating-point tie-breaking.
        QVERIFY2(std::abs(accuracy.value() - recorded["value"].toDouble()) * double(rows.value().size()) <= 1.0,
                 qPrintable(QString("core %1, trainer %2")
                                .arg(accuracy.value())
                                .arg(recorded["value"].toDouble())));
    }

    void tokenizer_round_trips() {
        const qs::Tokenizer& tok = *model_->tokenizer();
        // A sentence in the stories' style, and one with characters the corpus never has
        // (byte fallback must carry them through).
        for (const std::string text :
             {std::string("\"Thank you, Ben!\" said Lily. They played together until the sun went down."),
              std::string("Zoë ate 12 crêpes; naïve café-owner → «très bien»\n\n")}) {
            const std::vector<int32_t> ids = tok.encode(text);
            QVERIFY(!ids.empty());
            QCOMPARE(tok.decode(ids), text);
        }
        // Trained on the stories: a common name in running text is one piece.
        QCOMPARE(tok.encode(" Lily").size(), size_t(1));
    }
};

QTEST_GUILESS_MAIN(TestDemoModel)
#include "test_demo_model.moc"
