// The forward pass against ../shared/reference: tiny Hugging Face Qwen2 (BF16, tied, QKV bias)
// and Llama (F16, sharded, untied) models whose logits were computed by two independent
// implementations. Logits within 2e-5, argmax at every position, 20-token greedy continuation
// and the example text's tokenization must all match.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <cmath>

#include "common/parallel.h"
#include "model/model.h"
#include "test_support.h"
#include "tokenizer/tokenizer.h"

namespace {

QJsonObject read_json(const QString& path) {
    return QJsonDocument::fromJson(QByteArray::fromStdString(qs::test::read_text(path))).object();
}

std::vector<int32_t> to_ids(const QJsonArray& a) {
    std::vector<int32_t> ids;
    for (const auto& v : a) ids.push_back(v.toInt());
    return ids;
}

int64_t argmax(const std::vector<float>& row) {
    return std::max_element(row.begin(), row.end()) - row.begin();
}

}  // namespace

class TestHfReference : public QObject {
    Q_OBJECT

    void check_model(const QString& folder) {
        const QJsonObject ref = read_json(folder + "/reference.json");
        auto loaded = qs::Model::load(folder.toStdString());
        QVERIFY2(loaded, loaded ? "" : loaded.error().message.c_str());
        const qs::Model& model = *loaded.value();
        QCOMPARE(model.config().vocab_size, ref["vocab_size"].toInteger());

        for (const auto& sv : ref["sequences"].toArray()) {
            const QJsonObject seq = sv.toObject();
            const QString name = seq["name"].toString();
            const std::vector<int32_t> ids = to_ids(seq["input_ids"].toArray());
            std::vector<int64_t> positions(ids.size());
            std::iota(positions.begin(), positions.end(), 0);
            auto logits = model.logits(ids, positions);
            QVERIFY2(logits, logits ? "" : logits.error().message.c_str());

            // Argmax at every position (the reference's margins show none is a near tie).
            const QJsonArray expected_argmax = seq["argmax"].toArray();
            QCOMPARE(qsizetype(logits.value().size()), expected_argmax.size());
            for (qsizetype p = 0; p < expected_argmax.size(); ++p)
                QVERIFY2(argmax(logits.value()[p]) == expected_argmax[p].toInteger(),
                         qPrintable(name + QStringLiteral(": argmax differs at position %1").arg(p)));

            // Logit values, every stride-th entry, within 2e-5 (+ the reference's 6-decimal rounding).
            for (const char* key : {"logits_pos0", "logits_last"}) {
                const QJsonObject rec = seq[key].toObject();
                const int64_t pos = rec["position"].toInteger(), stride = rec["stride"].toInteger();
                const QJsonArray values = rec["values"].toArray();
                const std::vector<float>& row = logits.value()[size_t(pos)];
                double worst = 0;
                for (qsizetype i = 0; i < values.size(); ++i)
                    worst = std::max(worst, std::abs(double(row[size_t(i * stride)]) - values[i].toDouble()));
                QVERIFY2(worst <= 2e-5 + 5e-7,
                         qPrintable(QStringLiteral("%1 %2: max |diff| %3").arg(name, key).arg(worst)));
                // logsumexp over the whole vocabulary checks the entries the stride skipped.
                double mx = row[0], sum = 0;
                for (float v : row) mx = std::max(mx, double(v));
                for (float v : row) sum += std::exp(double(v) - mx);
                QVERIFY(std::abs(mx + std::log(sum) - rec["logsumexp"].toDouble()) < 2e-5);
            }

            if (seq.contains("text")) {
                const qs::Tokenizer* tok = model.tokenizer();
                QVERIFY2(tok, "the model folder's tokenizer was not found");
                const std::vector<int32_t> encoded = tok->encode(seq["text"].toString().toStdString());
                std::vector<int32_t> expected = ids;
                if (seq["add_bos"].toBool()) {
                    QVERIFY(model.adds_bos());
                    QCOMPARE(expected.front(), *model.bos_id());
                    expected.erase(expected.begin());
                } else {
                    QVERIFY(!model.adds_bos());
                }
                QCOMPARE(encoded, expected);
                auto prompt = model.encode_prompt(seq["text"].toString().toStdString());
                QVERIFY(prompt);
                QCOMPARE(prompt.value(), ids);
            }
        }

        // Greedy continuation through the KV-cached session (the reference recomputed fully).
        const QJsonObject greedy = ref["greedy"].toObject();
        std::vector<int32_t> prompt;
        for (const auto& sv : ref["sequences"].toArray())
            if (sv.toObject()["name"] == greedy["prompt"]) prompt = to_ids(sv.toObject()["input_ids"].toArray());
        QVERIFY(!prompt.empty());
        const int n_new = greedy["n_new"].toInt();
        auto session = model.new_session(int64_t(prompt.size()) + n_new);
        QVERIFY(session);
        QVERIFY(session.value()->append(prompt));
        std::vector<int32_t> produced;
        for (int i = 0; i < n_new; ++i) {
            const int32_t next = int32_t(argmax(session.value()->last_logits()));
            produced.push_back(next);
            QVERIFY(session.value()->append({next}));
        }
        QCOMPARE(produced, to_ids(greedy["new_tokens"].toArray()));
    }

private slots:
    void initTestCase() { qs::set_num_threads(2); }

    void qwen2() {
        QS_REQUIRE_SHARED(folder, "reference/hf-tiny-qwen2");
        check_model(folder);
    }

    void llama_sharded() {
        QS_REQUIRE_SHARED(folder, "reference/hf-tiny-llama");
        check_model(folder);
    }
};

QTEST_GUILESS_MAIN(TestHfReference)
#include "test_hf_reference.moc"
