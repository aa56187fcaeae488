#include "tokenizer/added_tokens.h"

#include <algorithm>

#include "tokenizer/unicode_text.h"

namespace qs {

AddedTokens::AddedTokens(std::vector<AddedToken> tokens) {
    for (AddedToken& token : tokens) {
        if (token.content.empty()) continue;
        tokens_.push_back(std::move(token));
    }
    for (uint32_t i = 0; i < tokens_.size(); ++i) {
        by_first_byte_[static_cast<uint8_t>(tokens_[i].content[0])].push_back(i);
        by_id_[tokens_[i].id] = i;
        max_id_ = std::max(max_id_, tokens_[i].id);
    }
    for (auto& candidates : by_first_byte_)
        std::stable_sort(candidates.begin(), candidates.end(), [&](uint32_t a, uint32_t b) {
            return tokens_[a].content.size() > tokens_[b].content.size();
        });
}

namespace {

// Whether token may match at [start, end) of text: a single_word token not inside a word.
bool accepts(const AddedToken& token, std::string_view text, size_t start, size_t end) {
    if (!token.single_word) return true;
    if (start > 0 && is_word_character(decode_utf8_before(text, start).code_point)) return false;
    if (end < text.size() && is_word_character(decode_utf8_at(text, end).code_point))
        return false;
    return true;
}

}  // namespace

std::vector<AddedTokens::Segment> AddedTokens::split(std::string_view text) const {
    std::vector<Segment> segments;
    size_t segment_start = 0;
    size_t pos = 0;
    while (pos < text.size()) {
        const AddedToken* match = nullptr;
        for (const uint32_t index : by_first_byte_[static_cast<uint8_t>(text[pos])]) {
            const AddedToken& token = tokens_[index];
            if (text.substr(pos).starts_with(token.content)) {
                match = &token;
                break;
            }
        }
        if (!match || !accepts(*match, text, pos, pos + match->content.size())) {
            ++pos;
            continue;
        }
        size_t start = pos;
        size_t end = pos + match->content.size();
        if (match->lstrip) {
            while (start > segment_start) {
                const DecodedChar c = decode_utf8_before(text, start);
                if (!is_unicode_whitespace(c.code_point)) break;
                start -= c.length;
            }
        }
        if (match->rstrip) {
            while (end < text.size()) {
                const DecodedChar c = decode_utf8_at(text, end);
                if (!is_unicode_whitespace(c.code_point)) break;
                end += c.length;
            }
        }
        if (start > segment_start)
            segments.push_back({text.substr(segment_start, start - segment_start), -1});
        segments.push_back({text.substr(start, end - start), match->id});
        segment_start = pos = end;
    }
    if (segment_start < text.size()) segments.push_back({text.substr(segment_start), -1});
    return segments;
}

const std::string* AddedTokens::content_of(int32_t id) const {
    const auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : &tokens_[it->second].content;
}

std::optional<int32_t> AddedTokens::id_of(std::string_view content) const {
    for (const AddedToken& token : tokens_)
        if (token.content == content) return token.id;
    return std::nullopt;
}

}  // namespace qs
