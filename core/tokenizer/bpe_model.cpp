#include "tokenizer/bpe_model.h"

#include <algorithm>
#include <queue>

#include "common/result.h"
#include "tokenizer/byte_level.h"

namespace qs {

namespace {

// Real vocabularies are dense; this leaves room for holes while bounding the id table.
constexpr int64_t kMaxIdSlack = 1 << 20;

uint64_t pair_key(int32_t left, int32_t right) {
    return static_cast<uint64_t>(static_cast<uint32_t>(left)) << 32 |
           static_cast<uint32_t>(right);
}

struct Symbol {
    int32_t id;
    int32_t prev;
    int32_t next;
    bool alive;
};

struct Candidate {
    uint32_t rank;
    int32_t pos;  // index of the left symbol
    int32_t merged_id;
    bool operator>(const Candidate& o) const {
        return rank != o.rank ? rank > o.rank : pos > o.pos;
    }
};

}  // namespace

BpeModel::BpeModel(std::vector<std::pair<std::string, int32_t>> vocab) : vocab_(std::move(vocab)) {
    int64_t max_id = -1;
    for (const auto& [token, id] : vocab_) {
        if (id < 0) fail("vocabulary entry \"" + token + "\" has negative id " + std::to_string(id));
        max_id = std::max<int64_t>(max_id, id);
    }
    if (max_id >= static_cast<int64_t>(vocab_.size()) + kMaxIdSlack)
        fail("vocabulary id " + std::to_string(max_id) + " is implausibly large for " +
             std::to_string(vocab_.size()) + " entries");
    index_of_id_.assign(static_cast<size_t>(max_id + 1), -1);
    id_of_token_.reserve(vocab_.size());
    for (size_t i = 0; i < vocab_.size(); ++i) {
        const auto& [token, id] = vocab_[i];
        id_of_token_[token] = id;
        index_of_id_[static_cast<size_t>(id)] = static_cast<int32_t>(i);
    }
    for (int b = 0; b < 256; ++b) {
        std::string character;
        append_byte_level(std::string_view(reinterpret_cast<const char*>(&b), 1), character);
        byte_ids_[b] = id_of(character).value_or(-1);
    }
}

void BpeModel::add_merge(std::string_view left, std::string_view right) {
    const auto left_id = id_of(left);
    const auto right_id = id_of(right);
    std::string merged;
    merged.reserve(left.size() + right.size());
    merged.append(left).append(right);
    const auto merged_id = id_of(merged);
    if (!left_id || !right_id || !merged_id)
        fail("merge \"" + std::string(left) + " " + std::string(right) +
             "\" uses a token missing from the vocabulary");
    // As in Hugging Face, a repeated pair takes its last rank.
    merges_.insert_or_assign(pair_key(*left_id, *right_id),
                             Merge{static_cast<uint32_t>(merges_.size()), *merged_id});
}

const BpeModel::Merge* BpeModel::find_merge(int32_t left, int32_t right) const {
    const auto it = merges_.find(pair_key(left, right));
    return it == merges_.end() ? nullptr : &it->second;
}

void BpeModel::encode(std::string_view bytes, std::vector<int32_t>& out) const {
    if (ignore_merges_) {
        std::string whole;
        append_byte_level(bytes, whole);
        if (const auto id = id_of(whole)) {
            out.push_back(*id);
            return;
        }
    }
    std::vector<Symbol> symbols;
    symbols.reserve(bytes.size());
    for (const char b : bytes) {
        int32_t id = byte_ids_[static_cast<uint8_t>(b)];
        if (id < 0) {
            if (!unk_id_) continue;
            id = *unk_id_;
        }
        const auto index = static_cast<int32_t>(symbols.size());
        symbols.push_back({id, index - 1, index + 1, true});
    }
    if (symbols.empty()) return;
    symbols.back().next = -1;

    std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> queue;
    auto consider = [&](int32_t pos) {
        const Symbol& left = symbols[pos];
        if (left.next < 0) return;
        if (const Merge* m = find_merge(left.id, symbols[left.next].id))
            queue.push({m->rank, pos, m->merged_id});
    };
    for (int32_t i = 0; i + 1 < static_cast<int32_t>(symbols.size()); ++i) consider(i);

    while (!queue.empty()) {
        const Candidate top = queue.top();
        queue.pop();
        Symbol& left = symbols[top.pos];
        if (!left.alive || left.next < 0) continue;
        Symbol& right = symbols[left.next];
        // A stale entry: one side was merged away since it was queued.
        const Merge* current = find_merge(left.id, right.id);
        if (!current || current->merged_id != top.merged_id) continue;
        left.id = top.merged_id;
        right.alive = false;
        left.next = right.next;
        if (left.next >= 0) symbols[left.next].prev = top.pos;
        if (left.prev >= 0) consider(left.prev);
        consider(top.pos);
    }
    for (int32_t i = 0; i >= 0; i = symbols[i].next) out.push_back(symbols[i].id);
}

const std::string* BpeModel::token(int32_t id) const {
    if (id < 0 || static_cast<size_t>(id) >= index_of_id_.size()) return nullptr;
    const int32_t index = index_of_id_[static_cast<size_t>(id)];
    return index < 0 ? nullptr : &vocab_[static_cast<size_t>(index)].first;
}

std::optional<int32_t> BpeModel::id_of(std::string_view token) const {
    const auto it = id_of_token_.find(token);
    if (it == id_of_token_.end()) return std::nullopt;
    return it->second;
}

}  // namespace qs
