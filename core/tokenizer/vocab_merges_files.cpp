#include "tokenizer/vocab_merges_files.h"

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "tokenizer/bpe_tokenizer.h"
#include "tokenizer/hf_json_fields.h"
#include "tokenizer/tokenizer_file.h"

namespace qs {

namespace fs = std::filesystem;

namespace {

// merges.txt: one "left right" pair per line in rank order, optionally after a "#version"
// line (Qwen's own files have none, re-exports do).
void read_merges(const fs::path& path, BpeModel& model) {
    const std::string text = read_tokenizer_file(path);
    std::string_view rest = text;
    size_t line_number = 0;
    while (!rest.empty()) {
        const size_t newline = rest.find('\n');
        std::string_view line = rest.substr(0, newline);
        rest = newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1);
        ++line_number;
        if (line.ends_with('\r')) line.remove_suffix(1);
        if (line.empty() || (line_number == 1 && line.starts_with("#version"))) continue;
        const size_t space = line.find(' ');
        if (space == std::string_view::npos || line.find(' ', space + 1) != std::string_view::npos)
            fail(path.string() + ": line " + std::to_string(line_number) +
                 " is not a merge \"left right\"");
        try {
            model.add_merge(line.substr(0, space), line.substr(space + 1));
        } catch (const Failure& e) {
            fail(path.string() + ": line " + std::to_string(line_number) + ": " + e.what());
        }
    }
}

AddedTokens read_added_tokens(const fs::path& path) {
    std::error_code ec;
    if (!fs::exists(path, ec)) return {};
    const nlohmann::json json = read_json_file(path);
    std::vector<AddedToken> tokens;
    for (auto& [content, id] : vocab_from_json(json, path.string()))
        tokens.push_back({std::move(content), id});
    return AddedTokens(std::move(tokens));
}

}  // namespace

std::unique_ptr<Tokenizer> load_vocab_merges(const fs::path& vocab_path,
                                             const TokenizerConfig& config) {
    const fs::path dir = vocab_path.parent_path();
    const fs::path merges_path = dir / "merges.txt";
    std::error_code ec;
    if (!fs::exists(merges_path, ec))
        fail(vocab_path.string() + ": no merges.txt beside it (needed for byte-level BPE)");
    BpeModel model = [&] {
        try {
            return BpeModel(vocab_from_json(read_json_file(vocab_path), vocab_path.string()));
        } catch (const Failure& e) {
            const std::string message = e.what();
            if (message.starts_with(vocab_path.string())) throw;
            fail(vocab_path.string() + ": " + message);
        }
    }();
    read_merges(merges_path, model);

    BpeParts parts(std::move(model));
    parts.added_tokens = read_added_tokens(dir / "added_tokens.json");
    parts.nfc = true;
    parts.pretokenizer.add_split(kQwen2SplitPattern, false);
    parts.source = vocab_path.string();
    resolve_special_tokens(parts, config, std::nullopt);
    return std::make_unique<BpeTokenizer>(std::move(parts));
}

}  // namespace qs
