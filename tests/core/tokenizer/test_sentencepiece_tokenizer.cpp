// SentencePiece .model files through the shim, in a process where libtorch is loaded and has
// run (the protobuf clash the shim exists for), against python3-sentencepiece's references.
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "common/parallel.h"
#include "model/model.h"
#include "reference_tokenizations.h"
#include "test_support.h"
#include "tokenizer/spm_shim_loader.h"
#include "tokenizer/tokenizer.h"

namespace {

std::unique_ptr<qs::Tokenizer> load(const QString& path) {
    auto result = qs::load_tokenizer(path.toStdString());
    if (!result.ok()) qFatal("%s", result.error().message.c_str());
    return std::move(result).value();
}

}  // namespace

class SentencePieceTokenizerTest : public QObject {
    Q_OBJECT
private slots:
    // libtorch loaded and run (its protobuf registered) before any SentencePiece model.
    void initTestCase() {
        qs::set_num_threads(1);
        auto model = qs::Model::load("synthetic:tiny");
        QVERIFY2(model.ok(), model.ok() ? "" : model.error().message.c_str());
        const auto logits = model.value()->logits({1, 2, 3}, {2});
        QVERIFY2(logits.ok(), logits.ok() ? "" : logits.error().message.c_str());
        synthetic_ = model.value();
        QVERIFY(qs::test::read_text("/proc/self/maps").find("libtorch_cpu") != std::string::npos);
    }

    void llama2MatchesReference() {
        QS_REQUIRE_SHARED(model, "data/tokenizers/llama2/tokenizer.model");
        QS_REQUIRE_SHARED(reference, "data/tokenizers/llama2/reference_tokenizations.json");
        const auto tokenizer = load(model);
        QCOMPARE(tokenizer->kind(), std::string("sentencepiece"));
        QCOMPARE(tokenizer->source(), model.toStdString());
        QCOMPARE(tokenizer->vocab_size(), 32000);
        QCOMPARE(tokenizer->bos_id(), std::optional<int32_t>(1));
        QCOMPARE(tokenizer->eos_id(), std::optional<int32_t>(2));
        QVERIFY(tokenizer->adds_bos());
        const auto cases = qs::test::read_reference_tokenizations(reference);
        QCOMPARE(cases.size(), size_t(46));
        for (const qs::test::ReferenceCase& c : cases) {
            const QString mismatch = qs::test::reference_mismatch(*tokenizer, c, c.text);
            QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
        }
    }

    void tok512MatchesReference() {
        QS_REQUIRE_SHARED(model, "data/stories260K/tok512.model");
        QS_REQUIRE_SHARED(reference, "data/stories260K/tok512_reference_tokenizations.json");
        const auto tokenizer = load(model);
        QCOMPARE(tokenizer->vocab_size(), 512);
        const auto cases = qs::test::read_reference_tokenizations(reference);
        QCOMPARE(cases.size(), size_t(46));
        int differs = 0;
        for (const qs::test::ReferenceCase& c : cases) {
            const QString mismatch = qs::test::reference_mismatch(*tokenizer, c, c.decoded);
            QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
            differs += c.decoded != c.text;
        }
        QVERIFY(differs > 0);  // the cases where tok512 drops extra spaces were exercised
        QCOMPARE(tokenizer->encode("Once upon a time, there was a little girl named Lily."),
                 (std::vector<int32_t>{403, 407, 261, 378, 432, 383, 286, 261, 376, 298, 315, 421,
                                       395, 317, 426}));
        QCOMPARE(tokenizer->piece(0), std::string("<unk>"));
        QCOMPARE(tokenizer->piece(3), std::string("<0x00>"));
        QCOMPARE(tokenizer->piece(512), std::string());
        QCOMPARE(tokenizer->piece(-1), std::string());
    }

    void decodeSkipsIdsOutsideTheVocabulary() {
        QS_REQUIRE_SHARED(model, "data/stories260K/tok512.model");
        const auto tokenizer = load(model);
        const auto ids = tokenizer->encode("Lily");
        std::vector<int32_t> noisy{-5, 1};
        noisy.insert(noisy.end(), ids.begin(), ids.end());
        noisy.push_back(100000);
        noisy.push_back(2);
        QCOMPARE(tokenizer->decode(noisy), std::string("Lily"));
        QCOMPARE(tokenizer->decode({}), std::string());
    }

    // hf-tiny-llama: tokenizer.model in a folder whose tokenizer_config.json has add_bos_token;
    // its text must give the input_ids (BOS first) recorded in reference.json.
    void modelFolderWithConfig() {
        QS_REQUIRE_SHARED(folder, "reference/hf-tiny-llama");
        const auto reference = qs::test::read_reference_text_sequence(folder);
        QVERIFY(reference.add_bos);
        const auto tokenizer = load(folder);
        QCOMPARE(tokenizer->source(), (folder + "/tokenizer.model").toStdString());
        QVERIFY(tokenizer->adds_bos());
        QCOMPARE(tokenizer->bos_id(), std::optional<int32_t>(1));
        const std::vector<int32_t> ids = qs::test::prompt_ids(*tokenizer, reference.text);
        QCOMPARE(ids, reference.input_ids);
        QCOMPARE(qs::test::pieces_of(*tokenizer, ids), reference.pieces);
    }

    void configCanTurnBosOff() {
        QS_REQUIRE_SHARED(model, "data/stories260K/tok512.model");
        QTemporaryDir dir;
        QVERIFY(QFile::copy(model, dir.filePath("tok512.model")));
        QFile config(dir.filePath("tokenizer_config.json"));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(R"({"add_bos_token": false, "bos_token": {"content": "<s>"}})");
        config.close();
        const auto from_file = load(dir.filePath("tok512.model"));
        QVERIFY(!from_file->adds_bos());
        QCOMPARE(from_file->bos_id(), std::optional<int32_t>(1));
        const auto from_folder = load(dir.path());
        QVERIFY(!from_folder->adds_bos());
    }

    void garbageModelFileIsAnError() {
        QTemporaryDir dir;
        const QString path = dir.filePath("broken.model");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("this is not a protobuf at all\n");
        file.close();
        const auto result = qs::load_tokenizer(path.toStdString());
        QVERIFY(!result.ok());
        QVERIFY2(result.error().message.starts_with(path.toStdString() + ": "),
                 result.error().message.c_str());
        QVERIFY(result.error().message.find('\n') == std::string::npos);
    }

    void shimPathAndMissingShim() {
        qputenv("QS_SPM_SHIM", "/nonexistent/libqs_spm_shim.so");
        QCOMPARE(qs::spm_shim_path(), std::string("/nonexistent/libqs_spm_shim.so"));
        qunsetenv("QS_SPM_SHIM");
        QVERIFY(qs::spm_shim_path() != "/nonexistent/libqs_spm_shim.so");
        const auto missing = qs::open_spm_shim("/nonexistent/libqs_spm_shim.so");
        QVERIFY(!missing.ok());
        QVERIFY2(missing.error().message.find("/nonexistent/libqs_spm_shim.so") !=
                     std::string::npos,
                 missing.error().message.c_str());
        // A library that is not the shim: found, but lacking its functions.
        const auto wrong = qs::open_spm_shim("libz.so.1");
        QVERIFY(!wrong.ok());
        QVERIFY2(wrong.error().message.find("qs_spm_abi_version") != std::string::npos,
                 wrong.error().message.c_str());
    }

private:
    std::shared_ptr<qs::Model> synthetic_;  // kept alive so libtorch stays in use throughout
};

QTEST_GUILESS_MAIN(SentencePieceTokenizerTest)
#include "test_sentencepiece_tokenizer.moc"
