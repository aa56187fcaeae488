// qs::load_tokenizer: picks the tokenizer format from the path (a file, or a model folder).
#include <algorithm>
#include <filesystem>

#include "tokenizer/sentencepiece_tokenizer.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer/tokenizer_config.h"
#include "tokenizer/tokenizer_file.h"
#include "tokenizer/tokenizer_json.h"
#include "tokenizer/vocab_merges_files.h"

namespace qs {

namespace fs = std::filesystem;

namespace {

bool is_file(const fs::path& path) {
    std::error_code ec;
    return fs::is_regular_file(path, ec);
}

std::unique_ptr<Tokenizer> load_file(const fs::path& path) {
    const std::string name = path.filename().string();
    const fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
    if (path.extension() == ".model") {
        check_tokenizer_file(path);
        return load_sentencepiece(path, read_tokenizer_config(dir));
    }
    if (name.ends_with("vocab.json")) {
        check_tokenizer_file(path);
        return load_vocab_merges(path, read_tokenizer_config(dir));
    }
    if (path.extension() == ".json" && name != "tokenizer_config.json") {
        check_tokenizer_file(path);
        return load_tokenizer_json(path, read_tokenizer_config(dir));
    }
    fail(path.string() +
         ": not a tokenizer file (expected a SentencePiece .model, tokenizer.json or vocab.json)");
}

// The folder's SentencePiece model: tokenizer.model, else its only *.model.
std::optional<fs::path> sentencepiece_in(const fs::path& dir) {
    if (is_file(dir / "tokenizer.model")) return dir / "tokenizer.model";
    std::vector<fs::path> models;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec))
        if (entry.path().extension() == ".model" && is_file(entry.path()))
            models.push_back(entry.path());
    if (models.size() > 1) {
        std::sort(models.begin(), models.end());
        fail(dir.string() + ": several SentencePiece models (" + models[0].filename().string() +
             ", " + models[1].filename().string() + ", ...); pass the file to use");
    }
    if (models.empty()) return std::nullopt;
    return models[0];
}

std::unique_ptr<Tokenizer> load_folder(const fs::path& dir) {
    const TokenizerConfig config = read_tokenizer_config(dir);
    std::optional<UnsupportedTokenizer> unsupported;
    if (is_file(dir / "tokenizer.json")) {
        try {
            return load_tokenizer_json(dir / "tokenizer.json", config);
        } catch (const UnsupportedTokenizer& e) {
            // E.g. Llama 2's tokenizer.json, a SentencePiece-style BPE; the folder's
            // tokenizer.model is the same tokenizer.
            unsupported = e;
        }
    }
    if (is_file(dir / "vocab.json") && is_file(dir / "merges.txt"))
        return load_vocab_merges(dir / "vocab.json", config);
    if (const auto model = sentencepiece_in(dir)) return load_sentencepiece(*model, config);
    if (unsupported) throw *unsupported;
    fail(dir.string() +
         ": no tokenizer in this folder (looked for tokenizer.json, vocab.json + merges.txt, "
         "*.model)");
}

// Messages are shown on one line; JSON errors can quote raw file bytes.
std::string one_line(std::string message) {
    for (char& c : message)
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    return message;
}

}  // namespace

Result<std::unique_ptr<Tokenizer>> load_tokenizer(const std::string& path) {
    auto result = guarded([&]() -> std::unique_ptr<Tokenizer> {
        if (path.empty()) fail("no tokenizer path given");
        std::error_code ec;
        const fs::file_status status = fs::status(path, ec);
        if (!fs::exists(status)) fail(path + ": no such file or folder");
        return fs::is_directory(status) ? load_folder(path) : load_file(path);
    });
    if (!result.ok()) return Error{one_line(result.error().message), result.error().cancelled};
    return result;
}

}  // namespace qs
