#pragma once
// Command-line parsing for one subcommand: positional arguments, `--name value` /
// `--name=value` options and `--flag` switches, each declared by the command. Anything
// undeclared or malformed is a UsageError (exit code 2 with a one-line reason).
#include <cstdint>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace qs::cli {

class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Args {
public:
    // values: options that take a value; flags: switches without one.
    Args(const std::vector<std::string>& argv, const std::set<std::string>& values,
         const std::set<std::string>& flags);

    const std::vector<std::string>& positional() const { return positional_; }
    // The single positional argument of commands like `stats MODEL` (or the default).
    std::string one_positional(const char* what, const std::optional<std::string>& fallback = {}) const;

    bool has(const std::string& name) const;
    bool flag(const std::string& name) const { return has(name); }
    std::string text(const std::string& name, const std::string& fallback = {}) const;
    int64_t integer(const std::string& name, int64_t fallback, int64_t min, int64_t max) const;
    double number(const std::string& name, double fallback, double min, double max) const;
    // Comma-separated integers, e.g. "1,2,3".
    std::vector<int64_t> integers(const std::string& name) const;
    std::vector<std::string> list(const std::string& name) const;

private:
    std::vector<std::string> positional_;
    std::vector<std::pair<std::string, std::string>> options_;
};

}  // namespace qs::cli
