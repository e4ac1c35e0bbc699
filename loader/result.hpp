// Result type for operations that can fail in an expected way (a kernel
// rejection, a missing file): the value or the reason, never both. C++20
// has no std::expected yet, and exceptions would hide the error paths the
// CLI has to map to exit codes.
#pragma once

#include <optional>
#include <utility>
#include <variant>

#include "error.hpp"

namespace lunatik::loader {

template <typename T, typename E = Error>
class [[nodiscard]] Result {
public:
	Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
	Result(E error) : v_(std::in_place_index<1>, std::move(error)) {}

	bool ok() const { return v_.index() == 0; }
	explicit operator bool() const { return ok(); }

	T &value() { return std::get<0>(v_); }
	const T &value() const { return std::get<0>(v_); }
	T &operator*() { return value(); }
	const T &operator*() const { return value(); }
	T *operator->() { return &value(); }
	const T *operator->() const { return &value(); }

	const E &error() const { return std::get<1>(v_); }

private:
	std::variant<T, E> v_;
};

template <typename E>
class [[nodiscard]] Result<void, E> {
public:
	Result() = default;
	Result(E error) : error_(std::move(error)) {}

	bool ok() const { return !error_.has_value(); }
	explicit operator bool() const { return ok(); }
	const E &error() const { return *error_; }

private:
	std::optional<E> error_;
};

} // namespace lunatik::loader
