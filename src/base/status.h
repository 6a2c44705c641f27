// Status is the result of every operation that can fail in x402-dev.
//
// It carries a category (StatusCode) and a one-line message meant for the user, plus an
// optional hint ("what to do next"). The categories line up with the exit-code contract
// (docs/cli.md), and the mapping to numbers lives in exactly one place: ToExitCode() in
// src/main.cc. Follows leveldb's Status, extended with a closed category enum.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace x402 {

enum class StatusCode {
  kOk,
  kNotFound,       // nothing is running / nothing to show
  kPortInUse,      // another process holds the port
  kUsage,          // bad command line
  kConfig,         // invalid configuration
  kAlreadyRunning, // a server already runs
  kIo,             // file or socket failure
  kServiceManager, // the native service manager refused or failed
  kTimeout,        // something did not happen in time
  kInternal,       // a bug: should never reach a user
};

class [[nodiscard]] Status {
 public:
  Status() = default;

  static Status Ok() { return Status(); }
  static Status NotFound(std::string msg) { return {StatusCode::kNotFound, std::move(msg)}; }
  static Status PortInUse(std::string msg) { return {StatusCode::kPortInUse, std::move(msg)}; }
  static Status Usage(std::string msg) { return {StatusCode::kUsage, std::move(msg)}; }
  static Status Config(std::string msg) { return {StatusCode::kConfig, std::move(msg)}; }
  static Status AlreadyRunning(std::string msg) {
    return {StatusCode::kAlreadyRunning, std::move(msg)};
  }
  static Status Io(std::string msg) { return {StatusCode::kIo, std::move(msg)}; }
  static Status ServiceManager(std::string msg) {
    return {StatusCode::kServiceManager, std::move(msg)};
  }
  static Status Timeout(std::string msg) { return {StatusCode::kTimeout, std::move(msg)}; }
  static Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& hint() const { return hint_; }
  /// Extra detail shown only with --verbose (e.g. the underlying library error).
  const std::string& detail() const { return detail_; }

  /// Returns a copy with |hint| attached: the "what to do next" line.
  Status WithHint(std::string hint) && {
    hint_ = std::move(hint);
    return std::move(*this);
  }
  Status WithDetail(std::string detail) && {
    detail_ = std::move(detail);
    return std::move(*this);
  }

  /// "message" or "message (hint: …)"; for logs and tests.
  std::string ToString() const;

 private:
  friend Status MakeStatus(StatusCode code, std::string message, std::string hint);
  Status(StatusCode code, std::string msg) : code_(code), message_(std::move(msg)) {}

  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string hint_;
  std::string detail_;
};

/// A stable name for |code| ("port-in-use"), for carrying a Status across a process boundary.
std::string_view StatusCodeName(StatusCode code);
std::optional<StatusCode> ParseStatusCodeName(std::string_view name);

/// Rebuilds a Status from its parts (the inverse of code/message/hint).
Status MakeStatus(StatusCode code, std::string message, std::string hint = {});

/// Translates an errno value into a Status: "|context|: strerror(err)".
Status FromErrno(std::string_view context, int err);

}  // namespace x402
