#include "tokenizer/byte_level.h"

#include <array>

#include "tokenizer/unicode_text.h"

namespace qs {

namespace {

struct ByteLevelTables {
    std::array<char32_t, 256> to_char{};
    // Indexed by code point; the alphabet ends at U+0143. -1: not in the alphabet.
    std::array<int16_t, 0x144> to_byte{};

    ByteLevelTables() {
        to_byte.fill(-1);
        char32_t next_extra = 0x100;
        for (int b = 0; b < 256; ++b) {
            const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
            to_char[b] = printable ? static_cast<char32_t>(b) : next_extra++;
            to_byte[to_char[b]] = static_cast<int16_t>(b);
        }
    }
};

const ByteLevelTables& tables() {
    static const ByteLevelTables t;
    return t;
}

void append_utf8(char32_t c, std::string& out) {
    // The alphabet lies below U+0800, so one or two bytes suffice.
    if (c < 0x80) {
        out.push_back(static_cast<char>(c));
    } else {
        out.push_back(static_cast<char>(0xC0 | (c >> 6)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
}

}  // namespace

void append_byte_level(std::string_view bytes, std::string& out) {
    const ByteLevelTables& t = tables();
    for (const char b : bytes) append_utf8(t.to_char[static_cast<uint8_t>(b)], out);
}

void append_bytes_from_byte_level(std::string_view token, std::string& out) {
    const ByteLevelTables& t = tables();
    const size_t start = out.size();
    for (size_t pos = 0; pos < token.size();) {
        const DecodedChar c = decode_utf8_at(token, pos);
        if (c.code_point >= t.to_byte.size() || t.to_byte[c.code_point] < 0) {
            out.resize(start);
            out.append(token);
            return;
        }
        out.push_back(static_cast<char>(t.to_byte[c.code_point]));
        pos += c.length;
    }
}

}  // namespace qs
