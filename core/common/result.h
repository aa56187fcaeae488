#pragma once
// The error contract of core: no exception crosses the public API. Functions that can fail
// return Result<T>, which holds either a value or an Error whose message names the file and
// the problem in one line (it is shown verbatim by the CLI and the studio).
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace qs {

struct Error {
    std::string message;
    // Cancelled is its own outcome, not a failure: callers show it differently.
    bool cancelled = false;
};

inline Error cancelled_error() { return Error{"cancelled", true}; }

template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : state_(std::move(value)) {}
    Result(Error error) : state_(std::move(error)) {}

    bool ok() const { return state_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(state_); }
    const T& value() const& { return std::get<0>(state_); }
    T&& value() && { return std::get<0>(std::move(state_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }

    const Error& error() const { return std::get<1>(state_); }

private:
    std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : error_(std::move(error)), failed_(true) {}

    bool ok() const { return !failed_; }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return error_; }

private:
    Error error_;
    bool failed_ = false;
};

using Status = Result<void>;

// Internal code may throw Failure (or let std::exception escape from libtorch); API entry
// points convert it into an Error with guarded().
class Failure : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Cancelled : public std::exception {
public:
    const char* what() const noexcept override { return "cancelled"; }
};

[[noreturn]] inline void fail(const std::string& message) { throw Failure(message); }

// Runs fn and converts any exception into an Error. Used only at the edge of the core API.
template <class Fn>
auto guarded(Fn&& fn) -> Result<decltype(fn())> {
    using T = decltype(fn());
    try {
        if constexpr (std::is_void_v<T>) {
            fn();
            return Result<void>();
        } else {
            return Result<T>(fn());
        }
    } catch (const Cancelled&) {
        return cancelled_error();
    } catch (const std::bad_alloc&) {
        return Error{"out of memory"};
    } catch (const std::exception& e) {
        return Error{e.what()};
    }
}

}  // namespace qs
