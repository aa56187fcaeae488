#pragma once
// Reading tokenizer files: every failure is a Failure whose message starts with the path.
#include <cstdint>
#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace qs {

// Fails for a missing, empty or absurdly large file, or a folder; returns the size.
uintmax_t check_tokenizer_file(const std::filesystem::path& path);

// The whole file, after check_tokenizer_file.
std::string read_tokenizer_file(const std::filesystem::path& path);

// The file parsed as JSON; a syntax error fails naming the file and the position.
nlohmann::json read_json_file(const std::filesystem::path& path);

}  // namespace qs
