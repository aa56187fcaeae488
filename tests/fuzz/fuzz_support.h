#pragma once
// Helpers for fuzz targets whose core entry point only takes a path: the input is written to a
// file in a per-process temporary folder (cheap next to parsing, and the page cache keeps it in
// memory). Multi-file inputs are split at NUL bytes, which none of the text files can hold.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace qs::fuzz {

// A folder created on first use and removed when the process exits normally.
inline const std::string& temp_dir() {
    static const std::string dir = [] {
        char templ[] = "/tmp/qs_fuzz_XXXXXX";
        if (!mkdtemp(templ)) std::abort();
        std::string made = templ;
        static std::string to_remove = made;
        std::atexit([] { std::system(("rm -rf '" + to_remove + "'").c_str()); });
        return made;
    }();
    return dir;
}

// Writes bytes to temp_dir()/name and returns the path.
inline std::string write_file(const std::string& name, std::string_view bytes) {
    const std::string path = temp_dir() + "/" + name;
    FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) std::abort();
    if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) std::abort();
    std::fclose(f);
    return path;
}

inline void remove_file(const std::string& name) { ::unlink((temp_dir() + "/" + name).c_str()); }

// data split at its first (parts - 1) NUL bytes; missing parts are empty.
inline std::vector<std::string_view> split_input(const uint8_t* data, size_t size, size_t parts) {
    std::string_view rest(reinterpret_cast<const char*>(data), size);
    std::vector<std::string_view> out;
    while (out.size() + 1 < parts) {
        const size_t nul = rest.find('\0');
        if (nul == std::string_view::npos) break;
        out.push_back(rest.substr(0, nul));
        rest.remove_prefix(nul + 1);
    }
    out.push_back(rest);
    out.resize(parts);
    return out;
}

// Reads every byte of a range so ASan sees any out-of-bounds view a parser hands out.
inline unsigned touch(const void* data, size_t bytes) {
    const auto* p = static_cast<const volatile uint8_t*>(data);
    unsigned sum = 0;
    for (size_t i = 0; i < bytes; ++i) sum += p[i];
    return sum;
}

}  // namespace qs::fuzz
