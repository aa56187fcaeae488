#include "cli_args.h"

#include <charconv>
#include <cmath>
#include <sstream>

namespace qs::cli {

Args::Args(const std::vector<std::string>& argv, const std::set<std::string>& values,
           const std::set<std::string>& flags) {
    for (size_t i = 0; i < argv.size(); ++i) {
        const std::string& a = argv[i];
        if (a.size() < 2 || a.rfind("--", 0) != 0) {
            positional_.push_back(a);
            continue;
        }
        std::string name = a.substr(2), value;
        const size_t eq = name.find('=');
        const bool inline_value = eq != std::string::npos;
        if (inline_value) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        if (flags.count(name)) {
            if (inline_value) throw UsageError("--" + name + " takes no value");
            options_.emplace_back(name, "");
        } else if (values.count(name)) {
            if (!inline_value) {
                if (i + 1 >= argv.size()) throw UsageError("--" + name + " needs a value");
                value = argv[++i];
            }
            options_.emplace_back(name, value);
        } else {
            throw UsageError("unknown option --" + name + " (see --help)");
        }
    }
}

std::string Args::one_positional(const char* what, const std::optional<std::string>& fallback) const {
    if (positional_.size() > 1) throw UsageError(std::string("expected one ") + what + ", got " +
                                                 std::to_string(positional_.size()) + " arguments");
    if (positional_.empty()) {
        if (fallback) return *fallback;
        throw UsageError(std::string("missing ") + what);
    }
    return positional_.front();
}

bool Args::has(const std::string& name) const {
    for (const auto& [n, v] : options_)
        if (n == name) return true;
    return false;
}

std::string Args::text(const std::string& name, const std::string& fallback) const {
    std::string result = fallback;
    for (const auto& [n, v] : options_)
        if (n == name) result = v;  // the last occurrence wins, as with most tools
    return result;
}

int64_t Args::integer(const std::string& name, int64_t fallback, int64_t min, int64_t max) const {
    if (!has(name)) return fallback;
    const std::string t = text(name);
    int64_t v = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || end != t.data() + t.size())
        throw UsageError("--" + name + " must be an integer (got \"" + t + "\")");
    if (v < min || v > max)
        throw UsageError("--" + name + " must be between " + std::to_string(min) + " and " +
                         std::to_string(max) + " (got " + t + ")");
    return v;
}

double Args::number(const std::string& name, double fallback, double min, double max) const {
    if (!has(name)) return fallback;
    const std::string t = text(name);
    double v = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || end != t.data() + t.size() || !std::isfinite(v))
        throw UsageError("--" + name + " must be a number (got \"" + t + "\")");
    if (v < min || v > max) {
        std::ostringstream s;
        s << "--" << name << " must be between " << min << " and " << max << " (got " << t << ")";
        throw UsageError(s.str());
    }
    return v;
}

std::vector<std::string> Args::list(const std::string& name) const {
    std::vector<std::string> out;
    const std::string t = text(name);
    size_t start = 0;
    while (start <= t.size()) {
        const size_t comma = t.find(',', start);
        const std::string item = t.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (!item.empty()) out.push_back(item);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

std::vector<int64_t> Args::integers(const std::string& name) const {
    std::vector<int64_t> out;
    for (const std::string& item : list(name)) {
        int64_t v = 0;
        auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
        if (ec != std::errc() || end != item.data() + item.size())
            throw UsageError("--" + name + " must be comma-separated integers (got \"" + item + "\")");
        out.push_back(v);
    }
    return out;
}

}  // namespace qs::cli
