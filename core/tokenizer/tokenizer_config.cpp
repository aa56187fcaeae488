#include "tokenizer/tokenizer_config.h"

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "tokenizer/tokenizer_file.h"

namespace qs {

namespace fs = std::filesystem;

namespace {

std::optional<std::string> token_content(const nlohmann::json& config, const char* key,
                                         const fs::path& path) {
    const auto it = config.find(key);
    if (it == config.end() || it->is_null()) return std::nullopt;
    if (it->is_string()) return it->get<std::string>();
    if (it->is_object()) {
        const auto content = it->find("content");
        if (content != it->end() && content->is_string()) return content->get<std::string>();
    }
    fail(path.string() + ": " + key + " is neither a string nor a token with \"content\"");
}

}  // namespace

TokenizerConfig read_tokenizer_config(const fs::path& dir) {
    const fs::path path = dir / "tokenizer_config.json";
    std::error_code ec;
    if (!fs::exists(path, ec)) return {};
    const nlohmann::json config = read_json_file(path);
    if (!config.is_object()) fail(path.string() + ": not a JSON object");
    TokenizerConfig result;
    result.present = true;
    if (const auto it = config.find("add_bos_token"); it != config.end() && !it->is_null()) {
        if (!it->is_boolean()) fail(path.string() + ": add_bos_token is not true or false");
        result.add_bos_token = it->get<bool>();
    }
    result.bos_token = token_content(config, "bos_token", path);
    result.eos_token = token_content(config, "eos_token", path);
    return result;
}

}  // namespace qs
