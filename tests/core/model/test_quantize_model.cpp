// quantize_model writes a self-describing folder; loading it runs the stored weights and gives
// logits bit-identical to the model quantized in memory, for every method. Cancel and refusal
// to overwrite leave nothing behind.
#include <QDir>
#include <QTemporaryDir>
#include <QtTest>
#include <cstring>

#include "common/parallel.h"
#include "model/quantize_model.h"
#include "test_support.h"
#include "tokenizer/tokenizer.h"

namespace {

std::vector<std::vector<float>> logits_of(const qs::Model& m, const std::vector<int32_t>& ids) {
    std::vector<int64_t> positions(ids.size());
    for (size_t i = 0; i < ids.size(); ++i) positions[i] = int64_t(i);
    auto r = m.logits(ids, positions);
    if (!r) qFatal("%s", r.error().message.c_str());
    return r.value();
}

bool bit_identical(const std::vector<std::vector<float>>& a, const std::vector<std::vector<float>>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (a[i].size() != b[i].size() || std::memcmp(a[i].data(), b[i].data(), a[i].size() * 4) != 0)
            return false;
    return true;
}

}  // namespace

class TestQuantizeModel : public QObject {
    Q_OBJECT

    void round_trip(const QString& spec, qs::QuantOptions quant, const std::vector<int32_t>& ids) {
        QTemporaryDir tmp;
        const std::string out = (tmp.path() + "/q").toStdString();
        auto in_memory = qs::Model::load(spec.toStdString(), qs::LoadOptions{quant});
        QVERIFY2(in_memory, in_memory ? "" : in_memory.error().message.c_str());
        auto report = qs::quantize_model(spec.toStdString(), qs::LoadOptions{quant}, out, false);
        QVERIFY2(report, report ? "" : report.error().message.c_str());
        QCOMPARE(report.value().method, quant.method);
        QCOMPARE(report.value().quantized_weight_bytes, in_memory.value()->info().weight_bytes);
        if (quant.method != qs::Method::fp32) QVERIFY(report.value().tensors_quantized > 0);

        auto reloaded = qs::Model::load(out);
        QVERIFY2(reloaded, reloaded ? "" : reloaded.error().message.c_str());
        QCOMPARE(reloaded.value()->info().source, std::string("quantscope"));
        QCOMPARE(reloaded.value()->info().method, quant.method);
        QCOMPARE(reloaded.value()->info().weight_bytes, in_memory.value()->info().weight_bytes);
        QVERIFY2(bit_identical(logits_of(*in_memory.value(), ids), logits_of(*reloaded.value(), ids)),
                 qPrintable(QString::fromStdString(qs::method_name(quant.method)) +
                            ": reloaded logits differ from the in-memory quantized model"));
        // Nothing but the final folder is left in the parent.
        QCOMPARE(QDir(tmp.path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries), QStringList{"q"});
    }

private slots:
    void initTestCase() { qs::set_num_threads(2); }

    void every_method_reloads_bit_identical_data() {
        QTest::addColumn<QString>("method");
        for (qs::Method m : qs::all_methods())
            QTest::newRow(qs::method_name(m).c_str()) << QString::fromStdString(qs::method_name(m));
        QTest::newRow("int4 g128") << "int4/128";
        QTest::newRow("int8-dynamic fp32 embeddings") << "int8-dynamic/fp32-embeddings";
    }
    void every_method_reloads_bit_identical() {
        QFETCH(QString, method);
        const QStringList parts = method.split('/');
        qs::QuantOptions q;
        q.method = *qs::parse_method(parts[0].toStdString());
        if (parts.size() > 1 && parts[1] == "128") q.group_size = 128;
        if (parts.size() > 1 && parts[1] == "fp32-embeddings") q.quantize_embeddings = false;
        // synthetic:tiny has K=64 and 176 (not a multiple of 128): padded groups are exercised.
        round_trip("synthetic:tiny", q, {1, 7, 300, 42, 5, 5, 9, 511, 0, 17});
    }

    void real_model_keeps_its_tokenizer() {
        QS_REQUIRE_SHARED(bin, "data/stories260K/stories260K.bin");
        round_trip(bin, qs::QuantOptions{qs::Method::int4}, {1, 403, 407, 261, 378, 432});
        QTemporaryDir tmp;
        const std::string out = (tmp.path() + "/q").toStdString();
        QVERIFY(qs::quantize_model(bin.toStdString(), qs::LoadOptions{qs::QuantOptions{qs::Method::int8_dynamic}},
                                   out, false));
        auto original = qs::Model::load(bin.toStdString());
        auto reloaded = qs::Model::load(out);
        QVERIFY(original && reloaded);
        QVERIFY(reloaded.value()->tokenizer());
        QCOMPARE(reloaded.value()->adds_bos(), original.value()->adds_bos());
        const std::string text = "Once upon a time, there was a little girl named Lily.";
        QCOMPARE(reloaded.value()->encode_prompt(text).value(), original.value()->encode_prompt(text).value());
    }

    void refuses_to_overwrite_and_to_requantize() {
        QTemporaryDir tmp;
        const std::string out = (tmp.path() + "/q").toStdString();
        const qs::LoadOptions int8{qs::QuantOptions{qs::Method::int8_weight_only}};
        QVERIFY(qs::quantize_model("synthetic:tiny", int8, out, false));
        auto again = qs::quantize_model("synthetic:tiny", int8, out, false);
        QVERIFY(!again);
        QVERIFY(QString::fromStdString(again.error().message).contains("already exists"));
        QVERIFY(qs::quantize_model("synthetic:tiny", int8, out, true));  // --force
        auto twice = qs::Model::load(out, int8);
        QVERIFY(!twice);
        QVERIFY(QString::fromStdString(twice.error().message).contains("already quantized"));
    }

    void cancel_leaves_nothing() {
        QTemporaryDir tmp;
        qs::CancelToken token;
        int reports = 0;
        qs::Control control;
        control.cancel = &token;
        control.progress = [&](const qs::Progress&) {
            if (++reports == 3) token.cancel();  // part-way through the layers
        };
        auto r = qs::quantize_model("synthetic:tiny", qs::LoadOptions{qs::QuantOptions{qs::Method::int4}},
                                    (tmp.path() + "/q").toStdString(), false, control);
        QVERIFY(!r);
        QVERIFY(r.error().cancelled);
        QVERIFY(QDir(tmp.path()).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestQuantizeModel)
#include "test_quantize_model.moc"
