#include "tokenizer/unicode_text.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include "common/result.h"

namespace qs {

namespace {

const icu::Normalizer2& nfc_normalizer() {
    static const icu::Normalizer2* normalizer = [] {
        UErrorCode status = U_ZERO_ERROR;
        const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(status);
        if (U_FAILURE(status)) fail(std::string("ICU NFC unavailable: ") + u_errorName(status));
        return n;
    }();
    return *normalizer;
}

bool is_valid_utf8(std::string_view text) {
    const auto* s = reinterpret_cast<const uint8_t*>(text.data());
    const int32_t length = static_cast<int32_t>(text.size());
    int32_t i = 0;
    while (i < length) {
        UChar32 c;
        U8_NEXT(s, i, length, c);
        if (c < 0) return false;
    }
    return true;
}

}  // namespace

std::string nfc(std::string_view text) {
    const icu::Normalizer2& normalizer = nfc_normalizer();
    UErrorCode status = U_ZERO_ERROR;
    const icu::StringPiece input(text.data(), static_cast<int32_t>(text.size()));
    // Almost all text is already NFC; the quick check avoids a copy for it.
    if (normalizer.isNormalizedUTF8(input, status) && U_SUCCESS(status))
        return std::string(text);
    status = U_ZERO_ERROR;
    std::string out;
    icu::StringByteSink<std::string> sink(&out, static_cast<int32_t>(text.size()));
    normalizer.normalizeUTF8(0, input, sink, nullptr, status);
    if (U_FAILURE(status)) fail(std::string("NFC normalization failed: ") + u_errorName(status));
    return out;
}

std::string repair_utf8(std::string_view text) {
    if (is_valid_utf8(text)) return std::string(text);
    std::string out;
    icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())))
        .toUTF8String(out);
    return out;
}

bool is_unicode_whitespace(char32_t c) { return u_isUWhiteSpace(static_cast<UChar32>(c)); }

bool is_word_character(char32_t c) { return c == U'_' || u_isalnum(static_cast<UChar32>(c)); }

DecodedChar decode_utf8_at(std::string_view text, size_t pos) {
    const auto* s = reinterpret_cast<const uint8_t*>(text.data());
    // U8_NEXT takes int32_t offsets; a character is at most 4 bytes, so a window suffices.
    const int32_t window = static_cast<int32_t>(std::min<size_t>(4, text.size() - pos));
    int32_t i = 0;
    UChar32 c;
    U8_NEXT(s + pos, i, window, c);
    if (c < 0) return {U'\uFFFD', 1};
    return {static_cast<char32_t>(c), static_cast<size_t>(i)};
}

DecodedChar decode_utf8_before(std::string_view text, size_t end) {
    const size_t begin = end >= 4 ? end - 4 : 0;
    const auto* s = reinterpret_cast<const uint8_t*>(text.data() + begin);
    int32_t i = static_cast<int32_t>(end - begin);
    UChar32 c;
    U8_PREV(s, 0, i, c);
    if (c < 0) return {U'\uFFFD', 1};
    return {static_cast<char32_t>(c), end - begin - static_cast<size_t>(i)};
}

}  // namespace qs
