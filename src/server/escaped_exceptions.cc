#include "server/escaped_exceptions.h"

#include <chrono>
#include <new>
#include <optional>
#include <stdexcept>
#include <typeinfo>

#include "base/text.h"

namespace x402 {
namespace {

// How often a kind that keeps happening is summed up in the log.
constexpr auto kInterval = std::chrono::seconds(10);

// The type's name as the program would write it where the ABI can tell, else the mangled one.
std::string TypeName(const std::type_info& type) {
  const std::string_view name = type.name();
  if (name == typeid(std::length_error).name()) return "std::length_error";
  if (name == typeid(std::bad_alloc).name()) return "std::bad_alloc";
  if (name == typeid(std::runtime_error).name()) return "std::runtime_error";
  if (name == typeid(std::logic_error).name()) return "std::logic_error";
  if (name == typeid(std::out_of_range).name()) return "std::out_of_range";
  if (name == typeid(std::invalid_argument).name()) return "std::invalid_argument";
  return std::string(name);
}

}  // namespace

std::string EscapedExceptions::Describe(std::exception_ptr error) {
  if (!error) return "no exception";
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return TypeName(typeid(e)) + ": " + e.what();
  } catch (...) {
    return "an exception that is not a std::exception";
  }
}

void EscapedExceptions::Report(std::string_view where, std::exception_ptr error,
                               std::string_view what) {
  const std::string description = Describe(error);
  std::string kind = std::string(where) + ": " + description.substr(0, description.find(':'));
  std::optional<std::string> line;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++total_;
    if (!kinds_.contains(kind) && kinds_.size() >= kMaxKinds) kind = "other";
    auto it = kinds_.find(kind);
    if (it == kinds_.end()) {
      it = kinds_
               .try_emplace(kind, "exception in the " + std::string(where) + " (" + description + ")",
                            std::string(what), kInterval)
               .first;
    }
    line = it->second.Occurred(std::chrono::steady_clock::now());
  }
  // The message may quote what a client sent: one line, control characters escaped.
  if (line && logger_ != nullptr) logger_->Warn(OneLine(*line));
}

uint64_t EscapedExceptions::total() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return total_;
}

}  // namespace x402
