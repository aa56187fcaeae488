#include "tokenizer/tokenizer_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/result.h"

namespace qs {

namespace fs = std::filesystem;

namespace {

// The largest real tokenizer files are a few tens of MB; anything this big is not one.
constexpr uintmax_t kMaxTokenizerFileBytes = uintmax_t{1} << 30;

}  // namespace

uintmax_t check_tokenizer_file(const fs::path& path) {
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (!fs::exists(status)) fail(path.string() + ": no such file");
    if (fs::is_directory(status)) fail(path.string() + ": is a folder, expected a file");
    if (!fs::is_regular_file(status)) fail(path.string() + ": not a regular file");
    const uintmax_t size = fs::file_size(path, ec);
    if (ec) fail(path.string() + ": cannot read: " + ec.message());
    if (size == 0) fail(path.string() + ": file is empty");
    if (size > kMaxTokenizerFileBytes)
        fail(path.string() + ": too large for a tokenizer file (" + std::to_string(size) +
             " bytes)");
    return size;
}

std::string read_tokenizer_file(const fs::path& path) {
    const uintmax_t size = check_tokenizer_file(path);
    std::ifstream in(path, std::ios::binary);
    std::string data(static_cast<size_t>(size), '\0');
    if (!in.read(data.data(), static_cast<std::streamsize>(size)))
        fail(path.string() + ": cannot read: " + std::strerror(errno));
    return data;
}

nlohmann::json read_json_file(const fs::path& path) {
    const std::string text = read_tokenizer_file(path);
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        fail(path.string() + ": not valid JSON (" + e.what() + ")");
    }
}

}  // namespace qs
