// The sign-in-with-x extension (@x402/extensions 2.27, src/sign-in-with-x): a wallet that paid
// for a resource signs in later instead of paying again.
//
//   · the route's 402 declares a fresh challenge (enrichSIWxPaymentRequiredResponse(),
//     src/sign-in-with-x/server.ts): info {domain, uri, version, nonce, issuedAt, resources
//     [, expirationTime][, statement]}, the supported chains (eip191 for EVM networks,
//     ed25519 for Solana) and the payload's schema;
//   · the client signs it (EIP-4361 text as @signinwithethereum/siwe's prepareMessage() writes
//     it, signed with EIP-191 personal_sign; or the Sign-In-With-Solana text, ed25519) and
//     sends SIGN-IN-WITH-X: base64(JSON{…info, address, chainId, type, signature});
//   · the server parses it (parseSIWxHeader()), validates it (validateSIWxMessage(): domain,
//     uri, issuedAt age, expiry, notBefore), verifies the signature (verifySIWxSignature()),
//     checks the nonce was not used, and serves the request when the wallet paid for that
//     path before (createSIWxRequestHook(), src/sign-in-with-x/hooks.ts).
#pragma once

#include <boost/json/object.hpp>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "x402/iso_time.h"

namespace x402 {

inline constexpr std::string_view kSignInWithXExtension = "sign-in-with-x";
inline constexpr std::string_view kSignInWithXHeader = "SIGN-IN-WITH-X";

/// A route's sign-in-with-x setting (mock_server.pricing.per_resource.<path>.sign_in_with_x:
/// true, or {statement, expiration_seconds}): declareSIWxExtension()'s options.
struct SiwxSpec {
  std::string statement;
  std::optional<uint32_t> expiration_seconds;
  friend bool operator==(const SiwxSpec&, const SiwxSpec&) = default;
};

bool ParseSiwxSpec(const boost::json::value& value, SiwxSpec* spec, std::string* problem);
/// |spec| as the config writes it back.
boost::json::value SiwxSpecJson(const SiwxSpec& spec);

/// One challenge, as a 402 carries it.
struct SiwxChallenge {
  std::string domain;     // the host (and port) the client reached the server by
  std::string uri;        // the resource's URL at that origin
  std::string nonce;      // 32 hex digits, fresh per 402
  int64_t issued_at_ms = 0;
  std::vector<std::string> networks;  // CAIP-2, the route's options' (supportedChains)
};

/// extensions["sign-in-with-x"] for |challenge| under |spec|.
boost::json::object DeclareSiwx(const SiwxSpec& spec, const SiwxChallenge& challenge);

/// What a SIGN-IN-WITH-X header carries (SIWxPayloadSchema, src/sign-in-with-x/types.ts).
struct SiwxPayload {
  std::string domain, address, uri, version, chain_id, type, nonce, issued_at, signature;
  std::optional<std::string> statement, expiration_time, not_before, request_id, signature_scheme;
  std::optional<std::vector<std::string>> resources;
};

/// parseSIWxHeader(): base64 of JSON that the schema accepts. False with |*problem|.
bool ParseSiwxHeader(std::string_view header, SiwxPayload* payload, std::string* problem);

/// A refusal: the reference's reason code and its words.
struct SiwxRefusal {
  std::string reason;
  std::string message;
};

/// validateSIWxMessage() against the server's origin ("http://host:port"), at |now_ms|:
/// nullopt when the message passes. The nonce is checked by the caller (SiwxNonces).
std::optional<SiwxRefusal> ValidateSiwx(const SiwxPayload& payload, std::string_view origin, int64_t now_ms);

/// The EIP-4361 message @signinwithethereum/siwe 4.2 prepares for |payload| (as
/// formatSIWEMessage() builds its SiweMessage), or nullopt with |*problem| where its
/// constructor would throw (a field its grammar refuses).
std::optional<std::string> FormatSiweMessage(const SiwxPayload& payload, std::string* problem);
/// The Sign-In-With-Solana message (formatSIWSMessage(), src/sign-in-with-x/solana.ts).
std::string FormatSiwsMessage(const SiwxPayload& payload);

/// verifySIWxSignature(): the message rebuilt and its signature checked. The signer on
/// success (|*payer|), else the refusal.
std::optional<SiwxRefusal> VerifySiwxSignature(const SiwxPayload& payload, std::string* payer);

/// Who paid for which path (the reference's SIWxStorage, recorded by its settle hook with the
/// payer lower-cased). Bounded: kCapacity pairs, the oldest forgotten first.
class SiwxPayments {
 public:
  static constexpr std::size_t kCapacity = 10'000;
  void Record(std::string_view path, std::string_view address);
  bool HasPaid(std::string_view path, std::string_view address) const;
  std::size_t size() const;

 private:
  // The SHA-256 of path and lower-cased address: bounded whatever their length.
  static std::string KeyOf(std::string_view path, std::string_view address);
  mutable std::mutex mutex_;
  std::unordered_set<std::string> paid_;
  std::deque<std::string> order_;
};

/// The nonces signed in with (a storage with hasUsedNonce/recordNonce). Kept as long as a
/// message bearing one could still pass (issuedAt at most 5 minutes old), at most kCapacity;
/// when full of live ones, the oldest is forgotten.
class SiwxNonces {
 public:
  static constexpr std::size_t kCapacity = 100'000;
  bool Used(std::string_view nonce, int64_t now_ms) const;
  /// Records |nonce| unless it is used: false when it was (checking and recording are one
  /// step, so of two requests with one message only one signs in).
  bool Record(std::string_view nonce, int64_t now_ms);

 private:
  // A nonce has no length limit of its own: only its SHA-256 is kept (~100 bytes an entry).
  mutable std::mutex mutex_;
  std::unordered_map<std::string, int64_t> used_;  // digest → when it may be forgotten (ms)
  std::deque<std::pair<std::string, int64_t>> order_;
};

/// The age validateSIWxMessage() allows (DEFAULT_MAX_AGE_MS).
inline constexpr int64_t kSiwxMaxAgeMs = 5 * 60 * 1000;

/// "scheme://host[:port]" as JavaScript's URL.origin writes it (scheme and host in lower case,
/// the scheme's default port left out); nullopt when |url| has none.
std::optional<std::string> NormalizedOrigin(std::string_view url);

}  // namespace x402
