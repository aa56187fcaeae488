#pragma once
// Field readers shared by the two Hugging Face BPE layouts (tokenizer.json and vocab.json):
// they check types and ranges so that a wrong file fails with a message instead of an
// exception from deep inside nlohmann::json.
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <utility>
#include <vector>

namespace qs {

// A token id: an integer in [0, 2^24). Real vocabularies stay far below; the bound keeps a
// lying file from announcing a vocabulary of billions. where names the file and entry.
int32_t token_id_from_json(const nlohmann::json& value, const std::string& where);

// A {"token": id, ...} object as (token, id) pairs.
std::vector<std::pair<std::string, int32_t>> vocab_from_json(const nlohmann::json& vocab,
                                                             const std::string& where);

}  // namespace qs
