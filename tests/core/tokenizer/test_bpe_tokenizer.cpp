// Byte-level BPE: the Qwen2.5 (vocab.json + merges.txt + added_tokens.json) and Qwen3
// (tokenizer.json + tokenizer_config.json) tokenizers against Hugging Face's reference
// tokenizations, the hf-tiny-qwen2 folder against its recorded input_ids, and small hand-made
// tokenizers whose expected output follows from the BPE rules (merge ranks, leftmost pair on
// ties, longest added token, lstrip, NFC, merges.txt header).
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "reference_tokenizations.h"
#include "test_support.h"
#include "tokenizer/tokenizer.h"

namespace {

using Ids = std::vector<int32_t>;

std::unique_ptr<qs::Tokenizer> load(const QString& path) {
    auto result = qs::load_tokenizer(path.toStdString());
    if (!result.ok()) qFatal("%s", result.error().message.c_str());
    return std::move(result).value();
}

void write_file(const QString& path, const QByteArray& content) {
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(path));
    file.write(content);
}

// Every one of the 46 reference strings: ids, pieces, and decode back to the exact text.
void check_qwen_reference(const qs::Tokenizer& tokenizer, const QString& reference) {
    const auto cases = qs::test::read_reference_tokenizations(reference);
    QCOMPARE(cases.size(), size_t(46));
    int with_special_tokens = 0;
    for (const qs::test::ReferenceCase& c : cases) {
        const QString mismatch = qs::test::reference_mismatch(tokenizer, c, c.text);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
        with_special_tokens += std::count_if(c.ids.begin(), c.ids.end(),
                                             [](int32_t id) { return id >= 151643; });
    }
    QCOMPARE(with_special_tokens, 3);  // <|endoftext|><|im_start|>user\nhi<|im_end|>
}

// The hand-made tokenizer.json: bytes a b c, space (Ġ), < > x y, and é's two bytes (Ã ©).
// Merge ranks: "b c" before "a b", so "abc" is a + bc; "a a" merges leftmost first.
// Added tokens: <x> and <x><y> (longest wins), <z> absorbing the whitespace before it.
QJsonObject tiny_tokenizer_json() {
    const QJsonObject vocab{{"a", 0},  {"b", 1},  {"c", 2},   {"Ġ", 3},  {"ab", 4},
                            {"bc", 5}, {"aa", 6}, {"<", 7},   {">", 8},  {"x", 9},
                            {"y", 10}, {"Ã", 11}, {"©", 12}, {"Ã©", 13}};
    const QJsonArray merges{QJsonArray{"b", "c"}, QJsonArray{"a", "b"}, QJsonArray{"a", "a"},
                            QJsonArray{"Ã", "©"}};
    const auto added = [](const char* content, int id, bool lstrip) {
        return QJsonObject{{"id", id},          {"content", content}, {"single_word", false},
                           {"lstrip", lstrip},  {"rstrip", false},    {"normalized", false},
                           {"special", true}};
    };
    const QJsonObject split{
        {"type", "Split"},
        // Qwen2's split pattern.
        {"pattern", QJsonObject{{"Regex", "\'s|\'t|\'re|\'ve|\'m|\'ll|\'d|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|"
                                          "\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|"
                                          "\\s+(?!\\S)|\\s+"}}},
        {"behavior", "Isolated"},
        {"invert", false}};
    const QJsonObject byte_level{{"type", "ByteLevel"},
                                 {"add_prefix_space", false},
                                 {"trim_offsets", false},
                                 {"use_regex", false}};
    return QJsonObject{
        {"version", "1.0"},
        {"added_tokens", QJsonArray{added("<x>", 20, false), added("<x><y>", 21, false),
                                    added("<z>", 22, true)}},
        {"normalizer", QJsonObject{{"type", "NFC"}}},
        {"pre_tokenizer",
         QJsonObject{{"type", "Sequence"}, {"pretokenizers", QJsonArray{split, byte_level}}}},
        {"post_processor", byte_level},
        {"decoder", byte_level},
        {"model", QJsonObject{{"type", "BPE"},
                              {"unk_token", QJsonValue()},
                              {"ignore_merges", false},
                              {"vocab", vocab},
                              {"merges", merges}}}};
}

QString write_tiny_tokenizer_json(const QTemporaryDir& dir) {
    const QString path = dir.filePath("tokenizer.json");
    write_file(path, QJsonDocument(tiny_tokenizer_json()).toJson());
    return path;
}

// A tokenizer.json with a ByteLevel pre-tokenizer, the given members of its BPE model, and more
// top-level members (starting with a comma).
QByteArray byte_level_bpe(const char* model_members, const char* more = "") {
    return QByteArray(R"({"model": {"type": "BPE", )") + model_members +
           R"(}, "pre_tokenizer": {"type": "ByteLevel"})" + more + "}";
}

// An error of load_tokenizer(path): its message, which must name `names` and be one line.
QString load_error(const QString& path, const QString& names) {
    const auto result = qs::load_tokenizer(path.toStdString());
    if (result.ok()) return "loaded without error";
    const QString message = QString::fromStdString(result.error().message);
    if (!message.contains(names)) return "message does not name " + names + ": " + message;
    if (message.contains('\n')) return "message is not one line: " + message;
    return {};
}

}  // namespace

class BpeTokenizerTest : public QObject {
    Q_OBJECT
private slots:
    void qwen2VocabAndMerges() {
        QS_REQUIRE_SHARED(folder, "data/tokenizers/qwen2");
        QS_REQUIRE_SHARED(reference, "data/tokenizers/qwen2/reference_tokenizations.json");
        for (const QString& path : {folder, folder + "/vocab.json"}) {
            const auto tokenizer = load(path);
            QCOMPARE(tokenizer->kind(), std::string("byte-level-bpe"));
            QCOMPARE(tokenizer->source(), (folder + "/vocab.json").toStdString());
            QCOMPARE(tokenizer->vocab_size(), 151665);  // 151643 regular + 22 added
            QCOMPARE(tokenizer->bos_id(), std::nullopt);
            QCOMPARE(tokenizer->eos_id(), std::optional<int32_t>(151643));  // <|endoftext|>
            QVERIFY(!tokenizer->adds_bos());
            check_qwen_reference(*tokenizer, reference);
        }
    }

    void qwen3TokenizerJson() {
        QS_REQUIRE_SHARED(folder, "data/tokenizers/qwen3");
        QS_REQUIRE_SHARED(reference, "data/tokenizers/qwen2/reference_tokenizations.json");
        for (const QString& path : {folder, folder + "/tokenizer.json"}) {
            const auto tokenizer = load(path);
            QCOMPARE(tokenizer->source(), (folder + "/tokenizer.json").toStdString());
            QCOMPARE(tokenizer->vocab_size(), 151669);  // 4 more added tokens than Qwen2.5
            QCOMPARE(tokenizer->piece(151668), std::string("</think>"));
            QCOMPARE(tokenizer->encode("<think>"), Ids{151667});
            // tokenizer_config.json: eos_token <|im_end|>, bos_token null, add_bos_token false.
            QCOMPARE(tokenizer->eos_id(), std::optional<int32_t>(151645));
            QCOMPARE(tokenizer->bos_id(), std::nullopt);
            QVERIFY(!tokenizer->adds_bos());
            check_qwen_reference(*tokenizer, reference);
        }
    }

    // The folder mixes Qwen3's tokenizer.json with Qwen2.5's vocab.json/merges.txt; either
    // way its text must come out as recorded in reference.json (with BOS iff add_bos).
    void hfTinyQwen2Folder() {
        QS_REQUIRE_SHARED(folder, "reference/hf-tiny-qwen2");
        const auto reference = qs::test::read_reference_text_sequence(folder);
        QVERIFY(!reference.input_ids.empty());
        const auto tokenizer = load(folder);
        QCOMPARE(tokenizer->adds_bos(), reference.add_bos);
        const Ids ids = qs::test::prompt_ids(*tokenizer, reference.text);
        QCOMPARE(ids, reference.input_ids);
        QCOMPARE(qs::test::pieces_of(*tokenizer, ids), reference.pieces);
    }

    // Qwen declares NFC: a decomposed "e" + U+0301 must tokenize like the precomposed "é".
    void qwenAppliesNfc() {
        QS_REQUIRE_SHARED(qwen2, "data/tokenizers/qwen2");
        QS_REQUIRE_SHARED(qwen3, "data/tokenizers/qwen3");
        for (const QString& path : {qwen2, qwen3}) {
            const auto tokenizer = load(path);
            const Ids composed = tokenizer->encode("caf\xC3\xA9 r\xC3\xA9sum\xC3\xA9");
            QCOMPARE(tokenizer->encode("cafe\xCC\x81 re\xCC\x81sume\xCC\x81"), composed);
            // Without NFC the combining accent would be bytes CC 81 of its own.
            QCOMPARE(tokenizer->decode(composed), std::string("caf\xC3\xA9 r\xC3\xA9sum\xC3\xA9"));
        }
    }

    void decodeOfASplitCharacterShowsReplacement() {
        QS_REQUIRE_SHARED(qwen2, "data/tokenizers/qwen2");
        const auto tokenizer = load(qwen2);
        const Ids ids = tokenizer->encode("I love \xF0\x9F\x8D\x95");  // 🍕: 3 byte tokens
        QCOMPARE(ids, (Ids{40, 2948, 11162, 235, 243}));
        const Ids cut(ids.begin(), ids.end() - 1);
        QCOMPARE(tokenizer->decode(cut), std::string("I love \xEF\xBF\xBD"));
        // Ids past the vocabulary (padding rows of the embedding matrix) decode to nothing.
        QCOMPARE(tokenizer->decode({40, 151900, 2948}), std::string("I love"));
    }

    void mergeRanksAndTies() {
        QTemporaryDir dir;
        const auto tokenizer = load(write_tiny_tokenizer_json(dir));
        QCOMPARE(tokenizer->encode("abc"), (Ids{0, 5}));     // "b c" outranks "a b"
        QCOMPARE(tokenizer->encode("abab"), (Ids{4, 4}));
        QCOMPARE(tokenizer->encode("aaa"), (Ids{6, 0}));     // equal ranks: leftmost first
        QCOMPARE(tokenizer->encode("aaaa"), (Ids{6, 6}));
        QCOMPARE(tokenizer->encode(" abc"), (Ids{3, 0, 5}));  // "Ġ a" is no merge
        QCOMPARE(tokenizer->decode({3, 0, 5}), std::string(" abc"));
        QCOMPARE(tokenizer->piece(3), std::string("Ġ"));
    }

    void addedTokensLongestFirstAndLstrip() {
        QTemporaryDir dir;
        const auto tokenizer = load(write_tiny_tokenizer_json(dir));
        QCOMPARE(tokenizer->encode("a<x><y>b<x>"), (Ids{0, 21, 1, 20}));
        QCOMPARE(tokenizer->encode("<x><x>"), (Ids{20, 20}));
        QCOMPARE(tokenizer->encode("<x><"), (Ids{20, 7}));
        // <z> has lstrip: the spaces before it belong to the token.
        QCOMPARE(tokenizer->encode("a  <z>b"), (Ids{0, 22, 1}));
        QCOMPARE(tokenizer->decode({21, 0}), std::string("<x><y>a"));
        QCOMPARE(tokenizer->vocab_size(), 23);
    }

    void tinyNfc() {
        QTemporaryDir dir;
        const auto tokenizer = load(write_tiny_tokenizer_json(dir));
        QCOMPARE(tokenizer->encode("\xC3\xA9"), Ids{13});
        QCOMPARE(tokenizer->encode("e\xCC\x81"), Ids{13});  // 'e' is not even in the vocabulary
    }

    // merges.txt is accepted with and without the "#version" header line, and CRLF lines.
    void mergesTxtHeaderIsOptional() {
        const QByteArray vocab = R"({"a": 0, "b": 1, "c": 2, "ab": 3, "bc": 4})";
        const QList<QByteArray> merges_files{"#version: 0.2\nb c\na b\n", "b c\na b\n",
                                             "b c\r\na b\r\n", "#version: 0.2\nb c\na b"};
        for (const QByteArray& merges : merges_files) {
            QTemporaryDir dir;
            write_file(dir.filePath("vocab.json"), vocab);
            write_file(dir.filePath("merges.txt"), merges);
            const auto tokenizer = load(dir.path());
            QCOMPARE(tokenizer->encode("abc"), (Ids{0, 4}));
            QCOMPARE(tokenizer->encode("abab"), (Ids{3, 3}));
            QCOMPARE(tokenizer->vocab_size(), 5);
        }
    }

    void addedTokensJsonBesideVocab() {
        QTemporaryDir dir;
        write_file(dir.filePath("vocab.json"), R"({"a": 0, "b": 1, "<": 2, "|": 3, ">": 4})");
        write_file(dir.filePath("merges.txt"), "#version: 0.2\n");
        write_file(dir.filePath("added_tokens.json"), R"({"<|endoftext|>": 5, "<|end|>": 6})");
        const auto tokenizer = load(dir.filePath("vocab.json"));
        QCOMPARE(tokenizer->encode("a<|end|>b<|endoftext|>"), (Ids{0, 6, 1, 5}));
        QCOMPARE(tokenizer->eos_id(), std::optional<int32_t>(5));
        QCOMPARE(tokenizer->vocab_size(), 7);
    }

    void malformedFilesAreClearErrors_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("names");  // what the message must contain besides the path

        QTest::newRow("not json") << "tokenizer.json" << QByteArray("{\"model\": {") << "JSON";
        QTest::newRow("empty") << "tokenizer.json" << QByteArray() << "empty";
        QTest::newRow("array") << "tokenizer.json" << QByteArray("[1, 2]") << "JSON object";
        QTest::newRow("no model") << "tokenizer.json" << QByteArray("{\"version\": \"1.0\"}")
                                  << "model";
        QTest::newRow("wordpiece")
            << "tokenizer.json" << QByteArray(R"({"model": {"type": "WordPiece", "vocab": {}}})")
            << "WordPiece";
        QTest::newRow("no merges")
            << "tokenizer.json"
            << byte_level_bpe(R"("vocab": {"a": 0})")
            << "merges";
        QTest::newRow("merge of unknown token")
            << "tokenizer.json"
            << byte_level_bpe(R"("vocab": {"a": 0}, "merges": ["a q"])")
            << "a q";
        QTest::newRow("vocab with string id")
            << "tokenizer.json"
            << byte_level_bpe(R"("vocab": {"a": "zero"}, "merges": [])")
            << "\"a\"";
        QTest::newRow("huge id")
            << "tokenizer.json"
            << byte_level_bpe(R"("vocab": {"a": 2000000000}, "merges": [])")
            << "2000000000";
        QTest::newRow("bad regex")
            << "tokenizer.json"
            // (A plain string: as a raw string here, moc failed to find the test class.)
            << QByteArray("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": []},"
                          " \"pre_tokenizer\": {\"type\": \"Sequence\", \"pretokenizers\": ["
                          "{\"type\": \"Split\", \"pattern\": {\"Regex\": \"(unclosed\"},"
                          " \"behavior\": \"Isolated\", \"invert\": false},"
                          " {\"type\": \"ByteLevel\", \"use_regex\": false}]}}")
            << "Split pattern";
        QTest::newRow("added token without content")
            << "tokenizer.json"
            << byte_level_bpe(R"("vocab": {"a": 0}, "merges": [])",
                              R"(, "added_tokens": [{"id": 1}])")
            << "added token";
        QTest::newRow("vocab.json not an object") << "vocab.json" << QByteArray("[\"a\"]")
                                                  << "vocabulary";
        QTest::newRow("wrong format") << "notes.txt" << QByteArray("hello") << "not a tokenizer";
    }

    void malformedFilesAreClearErrors() {
        QFETCH(QString, file);
        QFETCH(QByteArray, content);
        QFETCH(QString, names);
        QTemporaryDir dir;
        const QString path = dir.filePath(file);
        write_file(path, content);
        if (file == "vocab.json") write_file(dir.filePath("merges.txt"), "a b\n");
        const QString file_error = load_error(path, path);
        QVERIFY2(file_error.isEmpty(), qPrintable(file_error));
        const QString names_error = load_error(path, names);
        QVERIFY2(names_error.isEmpty(), qPrintable(names_error));
        if (file != "notes.txt") {  // loading the folder reports the same file
            const QString folder_error = load_error(dir.path(), path);
            QVERIFY2(folder_error.isEmpty(), qPrintable(folder_error));
        }
    }

    void badMergesTxtNamesTheLine() {
        QTemporaryDir dir;
        write_file(dir.filePath("vocab.json"), R"({"a": 0, "b": 1, "ab": 2})");
        write_file(dir.filePath("merges.txt"), "#version: 0.2\na b\na b c\n");
        const QString merges = dir.filePath("merges.txt");
        QString error = load_error(dir.path(), merges + ": line 3");
        QVERIFY2(error.isEmpty(), qPrintable(error));
        write_file(merges, "a q\n");
        error = load_error(dir.path(), merges + ": line 1");
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void missingFilesAreClearErrors() {
        QTemporaryDir dir;
        QString error = load_error(dir.filePath("nope/tokenizer.json"), dir.filePath("nope"));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        error = load_error(dir.path(), dir.path());  // a folder without any tokenizer
        QVERIFY2(error.isEmpty(), qPrintable(error));
        write_file(dir.filePath("vocab.json"), R"({"a": 0})");
        error = load_error(dir.filePath("vocab.json"), "merges.txt");
        QVERIFY2(error.isEmpty(), qPrintable(error));
        error = load_error("", "no tokenizer path");
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(BpeTokenizerTest)
#include "test_bpe_tokenizer.moc"
