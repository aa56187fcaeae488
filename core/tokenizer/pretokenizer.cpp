#define PCRE2_CODE_UNIT_WIDTH 8
#include "tokenizer/pretokenizer.h"

#include <pcre2.h>

#include "common/result.h"
#include "tokenizer/unicode_text.h"

namespace qs {

struct RegexSplitter::Compiled {
    pcre2_code* code = nullptr;
    ~Compiled() { pcre2_code_free(code); }
};

namespace {

std::string pcre2_message(int code) {
    PCRE2_UCHAR buffer[256];
    pcre2_get_error_message(code, buffer, sizeof buffer);
    return reinterpret_cast<const char*>(buffer);
}

struct MatchData {
    pcre2_match_data* data;
    explicit MatchData(const pcre2_code* code) : data(pcre2_match_data_create_from_pattern(code, nullptr)) {
        if (!data) throw std::bad_alloc();
    }
    ~MatchData() { pcre2_match_data_free(data); }
    MatchData(const MatchData&) = delete;
    MatchData& operator=(const MatchData&) = delete;
};

void split_one(const pcre2_code* code, std::string_view text, pcre2_match_data* match,
               std::vector<std::string_view>& out) {
    const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
    size_t gap_start = 0;
    size_t pos = 0;
    while (pos < text.size()) {
        int rc = pcre2_match(code, subject, text.size(), pos, 0, match, nullptr);
        // The JIT has a small fixed stack; the interpreter keeps its backtracking on the heap.
        if (rc == PCRE2_ERROR_JIT_STACKLIMIT)
            rc = pcre2_match(code, subject, text.size(), pos, PCRE2_NO_JIT, match,
                             nullptr);
        // No match, or a resource limit on pathological input: the rest stays one piece,
        // which BPE still encodes losslessly.
        if (rc < 0) break;
        const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(match);
        const size_t start = ovector[0];
        const size_t end = ovector[1];
        if (end == start) {  // an empty match splits nothing; step over one character
            if (start >= text.size()) break;
            pos = start + decode_utf8_at(text, start).length;
            continue;
        }
        if (start > gap_start) out.push_back(text.substr(gap_start, start - gap_start));
        out.push_back(text.substr(start, end - start));
        gap_start = pos = end;
    }
    if (gap_start < text.size()) out.push_back(text.substr(gap_start));
}

}  // namespace

RegexSplitter::RegexSplitter(const std::string& pattern, bool literal)
    : compiled_(std::make_unique<Compiled>()) {
    // MATCH_INVALID_UTF: ill-formed bytes never match and end up in gap pieces instead of
    // failing the whole match, so any byte string can be tokenized.
    uint32_t options = PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF;
    if (literal) options |= PCRE2_LITERAL;
    int error = 0;
    PCRE2_SIZE offset = 0;
    compiled_->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                    options, &error, &offset, nullptr);
    if (!compiled_->code)
        fail("invalid split pattern at offset " + std::to_string(offset) + ": " +
             pcre2_message(error));
    // JIT is an optimisation only: without it (e.g. no executable memory) matching still works.
    pcre2_jit_compile(compiled_->code, PCRE2_JIT_COMPLETE);
}

RegexSplitter::~RegexSplitter() = default;
RegexSplitter::RegexSplitter(RegexSplitter&&) noexcept = default;

void RegexSplitter::split(const std::vector<std::string_view>& texts,
                          std::vector<std::string_view>& out) const {
    const MatchData match(compiled_->code);
    for (const std::string_view text : texts) split_one(compiled_->code, text, match.data, out);
}

std::vector<std::string_view> PreTokenizer::split(std::string_view text) const {
    std::vector<std::string_view> pieces;
    if (!text.empty()) pieces.push_back(text);
    std::vector<std::string_view> next;
    for (const RegexSplitter& step : steps_) {
        next.clear();
        step.split(pieces, next);
        pieces.swap(next);
    }
    return pieces;
}

}  // namespace qs
