// Predicted sizes against what core actually builds: each method is loaded for real and its
// measured weight bytes must equal the prediction made from tensor shapes alone.
#include <QtTest>

#include "model/model.h"
#include "predicted_size.h"
#include "quant/method_formats.h"
#include "test_support.h"

using namespace qs;

class TestPredictedSize : public QObject {
    Q_OBJECT
private:
    void compareAll(const QString& spec) {
        Result<ModelInfo> inspected = Model::inspect(spec.toStdString());
        QVERIFY2(inspected, inspected ? "" : inspected.error().message.c_str());
        for (Method m : all_methods())
            for (int group : {32, 128}) {
                if (m != Method::int4 && group != 32) continue;
                LoadOptions options;
                options.quant.method = m;
                options.quant.group_size = group;
                auto model = Model::load(spec.toStdString(), options);
                QVERIFY2(model, model ? "" : model.error().message.c_str());
                const int64_t measured = (*model)->info().weight_bytes;
                const int64_t predicted = ui::predicted_weight_bytes(*inspected, options.quant);
                QVERIFY2(measured == predicted,
                         qPrintable(QStringLiteral("%1 g%2: measured %3, predicted %4")
                                        .arg(QString::fromStdString(method_name(m))).arg(group)
                                        .arg(measured).arg(predicted)));
            }
    }

private slots:
    void syntheticTiny() { compareAll(QStringLiteral("synthetic:tiny")); }

    void huggingFaceLlama() {
        QS_REQUIRE_SHARED(dir, "reference/hf-tiny-llama");
        compareAll(dir);
    }

    void fp32EmbeddingsStayFp32() {
        QuantOptions o;
        o.method = Method::int4;
        o.quantize_embeddings = false;
        QCOMPARE(packed_matrix_bytes(o, 100, 64, true), int64_t(100 * 64 * 4));
        o.quantize_embeddings = true;  // int4 keeps embeddings at int8: a byte per weight + scale
        QCOMPARE(packed_matrix_bytes(o, 100, 64, true), int64_t(100 * (64 + 4)));
        // 64 inputs in groups of 32: 32 bytes of nibbles + 2 groups x fp16 scale (symmetric)
        QCOMPARE(packed_matrix_bytes(o, 100, 64, false), int64_t(100 * (32 + 4)));
    }
};

QTEST_GUILESS_MAIN(TestPredictedSize)
#include "test_predicted_size.moc"
