// Training a SentencePiece model through the shim in a process that has libtorch loaded and
// running (the demo-model trainer's situation), and the errors it reports.
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>

#include "common/parallel.h"
#include "test_support.h"
#include "tokenizer/sentencepiece_trainer.h"
#include "tokenizer/spm_shim_loader.h"

class SentencePieceTrainerTest : public QObject {
    Q_OBJECT
private slots:
    // The point of the shim: training must work while libtorch (and its protobuf) is in use.
    void initTestCase() {
        qs::set_num_threads(1);
        QVERIFY(qs::test::read_text("/proc/self/maps").find("libtorch_cpu") != std::string::npos);
    }

    void trainsAModelThatLoads() {
        QS_REQUIRE_SHARED(corpus, "data/corpora/tinystories_sample.txt");
        QTemporaryDir dir;
        const std::string prefix = dir.filePath("tok").toStdString();
        const auto status = qs::train_sentencepiece(
            "--input=" + corpus.toStdString() + " --model_prefix=" + prefix +
            " --vocab_size=512 --model_type=bpe --character_coverage=0.99 --byte_fallback=true"
            " --input_sentence_size=2000 --num_threads=1 --minloglevel=2");
        QVERIFY2(status.ok(), status.ok() ? "" : status.error().message.c_str());
        QVERIFY(std::filesystem::file_size(prefix + ".model") > 0);

        const qs::SpmShim& shim = qs::spm_shim();
        char error[512] = {};
        qs_spm* model = shim.load((prefix + ".model").c_str(), error, sizeof error);
        QVERIFY2(model, error);
        QCOMPARE(shim.vocab_size(model), 512);
        QCOMPARE(shim.bos_id(model), 1);
        QCOMPARE(shim.eos_id(model), 2);
        shim.free(model);
    }

    void reportsSentencePiecesError() {
        QTemporaryDir dir;
        const auto status = qs::train_sentencepiece(
            "--input=" + dir.filePath("missing.txt").toStdString() + " --model_prefix=" +
            dir.filePath("tok").toStdString() + " --vocab_size=300 --minloglevel=2");
        QVERIFY(!status.ok());
        QVERIFY2(status.error().message.find("missing.txt") != std::string::npos,
                 status.error().message.c_str());
    }

    void rejectsUnknownFlag() {
        const auto status = qs::train_sentencepiece("--no_such_flag=1");
        QVERIFY(!status.ok());
        QVERIFY2(status.error().message.find("no_such_flag") != std::string::npos,
                 status.error().message.c_str());
    }
};

QTEST_GUILESS_MAIN(SentencePieceTrainerTest)
#include "test_sentencepiece_trainer.moc"
