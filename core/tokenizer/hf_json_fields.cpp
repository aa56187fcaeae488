#include "tokenizer/hf_json_fields.h"

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace qs {

namespace {

constexpr int64_t kMaxTokenId = int64_t{1} << 24;

bool is_token_id(const nlohmann::json& value) {
    if (!value.is_number_integer()) return false;
    const int64_t id = value.get<int64_t>();
    return id >= 0 && id < kMaxTokenId;
}

}  // namespace

int32_t token_id_from_json(const nlohmann::json& value, const std::string& where) {
    if (!is_token_id(value)) {
        const std::string shown = value.is_number() ? " " + value.dump() : "";
        fail(where + ": id" + shown + " is not an integer in [0, " + std::to_string(kMaxTokenId) +
             ")");
    }
    return value.get<int32_t>();
}

std::vector<std::pair<std::string, int32_t>> vocab_from_json(const nlohmann::json& vocab,
                                                             const std::string& where) {
    if (!vocab.is_object()) fail(where + ": the vocabulary is not a {\"token\": id} object");
    std::vector<std::pair<std::string, int32_t>> entries;
    entries.reserve(vocab.size());
    for (const auto& [token, id] : vocab.items()) {
        // The message is built only on failure: this loop runs 150k times for Qwen.
        if (!is_token_id(id)) token_id_from_json(id, where + ": token \"" + token + "\"");
        entries.emplace_back(token, id.get<int32_t>());
    }
    return entries;
}

}  // namespace qs
