// A SentencePiece model when the shim cannot be found: a clear error naming the model and the
// shim, not a crash. Its own process, because the shim is looked up once per process.
#include <QtTest>

#include "test_support.h"
#include "tokenizer/sentencepiece_trainer.h"
#include "tokenizer/tokenizer.h"

class MissingShimTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { qputenv("QS_SPM_SHIM", "/nonexistent/libqs_spm_shim.so"); }

    void loadingAModelFails() {
        QS_REQUIRE_SHARED(model, "data/stories260K/tok512.model");
        for (int attempt = 0; attempt < 2; ++attempt) {  // the cached failure is reported again
            const auto result = qs::load_tokenizer(model.toStdString());
            QVERIFY(!result.ok());
            const std::string& message = result.error().message;
            QVERIFY2(message.starts_with(model.toStdString() + ": "), message.c_str());
            QVERIFY2(message.find("/nonexistent/libqs_spm_shim.so") != std::string::npos,
                     message.c_str());
        }
    }

    void trainingFails() {
        const auto status = qs::train_sentencepiece("--input=x --model_prefix=y");
        QVERIFY(!status.ok());
        QVERIFY2(status.error().message.find("/nonexistent/libqs_spm_shim.so") != std::string::npos,
                 status.error().message.c_str());
    }
};

QTEST_GUILESS_MAIN(MissingShimTest)
#include "test_missing_shim.moc"
