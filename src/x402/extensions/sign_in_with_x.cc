#include "x402/extensions/sign_in_with_x.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "base/base64.h"
#include "base/text.h"
#include "x402/evm/evm_address.h"
#include "x402/evm/hex_bytes.h"
#include "x402/evm/keccak.h"
#include "x402/evm/signer_recovery.h"
#include "x402/sha256.h"
#include "x402/svm/base58.h"
#include "x402/svm/ed25519.h"

namespace x402 {
namespace {

namespace json = boost::json;

bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

// The EIP-4361 grammar of @signinwithethereum/siwe-parser (its ABNF), for the fields a client
// chooses: a field it refuses makes SiweMessage's constructor throw.

// pchar: unreserved, pct-encoded, sub-delims, ":" and "@"; |extra| adds characters.
bool IsUriText(std::string_view s, std::string_view extra) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size() || !IsHex(s[i + 1]) || !IsHex(s[i + 2])) return false;
      i += 2;
      continue;
    }
    if (IsAlnum(c) || std::string_view("-._~!$&'()*+,;=:@").find(c) != std::string_view::npos) continue;
    if (extra.find(c) != std::string_view::npos) continue;
    return false;
  }
  return true;
}

// authority: [userinfo "@"] host [":" port].
bool IsAuthority(std::string_view s) {
  if (s.empty()) return false;
  if (const std::size_t at = s.rfind('@'); at != std::string_view::npos) {
    if (!IsUriText(s.substr(0, at), "")) return false;
    s = s.substr(at + 1);
  }
  std::string_view host = s, port;
  if (!s.empty() && s.front() == '[') {
    const std::size_t close = s.find(']');
    if (close == std::string_view::npos) return false;
    for (char c : s.substr(1, close - 1)) {
      if (!IsHex(c) && c != ':' && c != '.' && c != 'v') return false;
    }
    host = s.substr(0, close + 1);
    port = s.substr(close + 1);
    if (!port.empty() && port.front() != ':') return false;
  } else if (const std::size_t colon = s.rfind(':'); colon != std::string_view::npos) {
    host = s.substr(0, colon);
    port = s.substr(colon);
  }
  if (!port.empty()) {
    port.remove_prefix(1);
    if (!std::all_of(port.begin(), port.end(), IsDigit)) return false;
  }
  if (host.empty() || host.front() == '[') return !host.empty();
  return IsUriText(host, "") && host.find(':') == std::string_view::npos && host.find('@') == std::string_view::npos;
}

// URI = scheme ":" hier-part ["?" query] ["#" fragment] (RFC 3986, as the parser reads it).
bool IsUri(std::string_view s) {
  const std::size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s.substr(0, colon)) {
    if (!IsAlnum(c) && c != '+' && c != '-' && c != '.') return false;
  }
  std::string_view rest = s.substr(colon + 1);
  const std::size_t fragment = rest.find('#');
  if (fragment != std::string_view::npos) {
    if (!IsUriText(rest.substr(fragment + 1), "/?")) return false;
    rest = rest.substr(0, fragment);
  }
  const std::size_t query = rest.find('?');
  if (query != std::string_view::npos) {
    if (!IsUriText(rest.substr(query + 1), "/?")) return false;
    rest = rest.substr(0, query);
  }
  if (rest.substr(0, 2) == "//") {
    rest.remove_prefix(2);
    const std::size_t slash = rest.find('/');
    if (!IsAuthority(rest.substr(0, slash)) && !rest.substr(0, slash).empty()) return false;
    return slash == std::string_view::npos || IsUriText(rest.substr(slash), "/");
  }
  return IsUriText(rest, "/");
}

// The parser's date-time (RFC 3339), and a real calendar date (isValidISO8601Date()).
// date-time = full-date "T" HH:MM:SS [.frac] ("Z" / ±HH:MM): seconds and a zone required.
bool IsDateTime(std::string_view s) {
  if (!ParseIsoTimeMs(s) || s.size() < 20 || (s[10] != 'T' && s[10] != 't') || s[16] != ':') return false;
  const char last = s.back();
  return last == 'Z' || last == 'z' || (s.size() >= 25 && (s[s.size() - 6] == '+' || s[s.size() - 6] == '-'));
}

// statement = 1*( %d97-122 / %d65-90 / %d48-57 / %d32-33 / %d35-36 / %d38-59 / %d61 / %d63-64
// / %d91 / %d93 / %d95 / %d126 )
bool IsStatementText(std::string_view s) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    const bool ok = IsAlnum(c) || u == 32 || u == 33 || u == 35 || u == 36 || (u >= 38 && u <= 59) || u == 61 ||
                    u == 63 || u == 64 || u == 91 || u == 93 || u == 95 || u == 126;
    if (!ok) return false;
  }
  return true;
}

std::string Lower(std::string_view s) { return ToLowerAscii(s); }

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::optional<std::string> NormalizedOrigin(std::string_view url) {
  const std::size_t sep = url.find("://");
  if (sep == std::string_view::npos || sep == 0) return std::nullopt;
  const std::string scheme = Lower(url.substr(0, sep));
  if (!std::all_of(scheme.begin(), scheme.end(), [](char c) { return IsAlnum(c) || c == '+' || c == '-' || c == '.'; })) {
    return std::nullopt;
  }
  std::string_view rest = url.substr(sep + 3);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) authority = authority.substr(at + 1);
  if (authority.empty()) return std::nullopt;
  std::string host(authority), port;
  if (const std::size_t colon = authority.rfind(':'); colon != std::string_view::npos && authority.back() != ']') {
    host = std::string(authority.substr(0, colon));
    port = std::string(authority.substr(colon + 1));
    if (!std::all_of(port.begin(), port.end(), IsDigit)) return std::nullopt;
  }
  host = Lower(host);
  if (host.empty() || host.find_first_of(" \t\r\n<>\\^`{|}") != std::string::npos) return std::nullopt;
  if ((scheme == "http" && port == "80") || (scheme == "https" && port == "443")) port.clear();
  return scheme + "://" + host + (port.empty() ? "" : ":" + port);
}

namespace {

std::optional<std::string> OptionalString(const json::object& o, std::string_view key, std::string* problem) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    *problem = std::string(key) + ": Expected string, received " + (v->is_null() ? "null" : "another type");
    return std::nullopt;
  }
  return std::string(v->get_string());
}

}  // namespace

bool ParseSiwxSpec(const json::value& value, SiwxSpec* spec, std::string* problem) {
  SiwxSpec out;
  if (value.is_bool()) {
    if (!value.get_bool()) {
      *problem = "true, or a mapping {statement, expiration_seconds} (leave the key out to turn it off)";
      return false;
    }
    *spec = out;
    return true;
  }
  if (!value.is_object()) {
    *problem = "must be true or a mapping {statement, expiration_seconds}";
    return false;
  }
  for (const auto& [key, v] : value.get_object()) {
    if (key == "statement") {
      // It goes into the EIP-4361 text a wallet signs: the grammar's characters only.
      if (!v.is_string() || v.get_string().empty() || v.get_string().size() > 512 || !IsStatementText(v.get_string())) {
        *problem = "statement must be 1-512 characters of letters, digits, spaces and the EIP-4361 punctuation "
                   "(no quotes, no <>\\^`{|}, no line breaks)";
        return false;
      }
      out.statement = std::string(v.get_string());
    } else if (key == "expiration_seconds") {
      if (!v.is_int64() || v.get_int64() < 1 || v.get_int64() > 86'400) {
        *problem = "expiration_seconds must be a whole number of seconds from 1 to 86400";
        return false;
      }
      out.expiration_seconds = static_cast<uint32_t>(v.get_int64());
    } else {
      *problem = "unknown key '" + std::string(key) + "' (it takes statement and expiration_seconds)";
      return false;
    }
  }
  *spec = std::move(out);
  return true;
}

json::value SiwxSpecJson(const SiwxSpec& spec) {
  if (spec.statement.empty() && !spec.expiration_seconds) return true;
  json::object out;
  if (!spec.statement.empty()) out["statement"] = spec.statement;
  if (spec.expiration_seconds) out["expiration_seconds"] = *spec.expiration_seconds;
  return out;
}

json::object DeclareSiwx(const SiwxSpec& spec, const SiwxChallenge& c) {
  json::object info{{"domain", c.domain},
                    {"uri", c.uri},
                    {"version", "1"},
                    {"nonce", c.nonce},
                    {"issuedAt", IsoTimeMs(c.issued_at_ms)},
                    {"resources", json::array{json::value(c.uri)}}};
  if (spec.expiration_seconds) info["expirationTime"] = IsoTimeMs(c.issued_at_ms + int64_t{*spec.expiration_seconds} * 1000);
  if (!spec.statement.empty()) info["statement"] = spec.statement;
  json::array chains;
  for (const std::string& network : c.networks) {
    chains.push_back(json::object{{"chainId", network}, {"type", network.rfind("solana:", 0) == 0 ? "ed25519" : "eip191"}});
  }
  // buildSIWxSchema() (src/sign-in-with-x/schema.ts).
  auto text = [] { return json::object{{"type", "string"}}; };
  auto formatted = [](std::string_view format) { return json::object{{"type", "string"}, {"format", format}}; };
  json::object properties{{"domain", text()},
                          {"address", text()},
                          {"statement", text()},
                          {"uri", formatted("uri")},
                          {"version", text()},
                          {"chainId", text()},
                          {"type", text()},
                          {"nonce", text()},
                          {"issuedAt", formatted("date-time")},
                          {"expirationTime", formatted("date-time")},
                          {"notBefore", formatted("date-time")},
                          {"requestId", text()},
                          {"resources", json::object{{"type", "array"}, {"items", formatted("uri")}}},
                          {"signature", text()}};
  json::object schema{{"$schema", "https://json-schema.org/draft/2020-12/schema"},
                      {"type", "object"},
                      {"properties", std::move(properties)},
                      {"required", json::array{"domain", "address", "uri", "version", "chainId", "type", "nonce",
                                               "issuedAt", "signature"}}};
  return json::object{{"info", std::move(info)}, {"supportedChains", std::move(chains)}, {"schema", std::move(schema)}};
}

bool ParseSiwxHeader(std::string_view header, SiwxPayload* payload, std::string* problem) {
  // Base64EncodedRegex (@x402/core src/utils), then base64 and JSON.
  // /^[A-Za-z0-9+/]*={0,2}$/
  const std::size_t padding_at = std::min(header.find('='), header.size());
  const bool base64 =
      std::all_of(header.begin(), header.begin() + static_cast<std::ptrdiff_t>(padding_at),
                  [](char c) { return IsAlnum(c) || c == '+' || c == '/'; }) &&
      header.size() - padding_at <= 2 &&
      std::all_of(header.begin() + static_cast<std::ptrdiff_t>(padding_at), header.end(), [](char c) { return c == '='; });
  const auto text = base64 ? Base64Decode(header) : std::nullopt;
  if (!text) {
    *problem = "Invalid SIWX header: not valid base64";
    return false;
  }
  boost::system::error_code ec;
  const json::value parsed = json::parse(ValidUtf8(*text), ec);
  if (ec) {
    *problem = "Invalid SIWX header: not valid JSON";
    return false;
  }
  if (!parsed.is_object()) {
    *problem = "Invalid SIWX header: : Expected object";
    return false;
  }
  const json::object& o = parsed.get_object();
  // SIWxPayloadSchema, in its order.
  SiwxPayload out;
  std::vector<std::string> issues;
  auto required = [&](std::string_view key, std::string* field) {
    const json::value* v = o.if_contains(key);
    if (v == nullptr || !v->is_string()) {
      issues.push_back(std::string(key) + ": " + (v == nullptr ? "Required" : "Expected string"));
      return;
    }
    *field = std::string(v->get_string());
  };
  auto optional = [&](std::string_view key, std::optional<std::string>* field) {
    std::string problem_text;
    *field = OptionalString(o, key, &problem_text);
    if (!problem_text.empty()) issues.push_back(problem_text);
  };
  required("domain", &out.domain);
  required("address", &out.address);
  optional("statement", &out.statement);
  required("uri", &out.uri);
  required("version", &out.version);
  required("chainId", &out.chain_id);
  required("type", &out.type);
  if (!out.type.empty() && out.type != "eip191" && out.type != "ed25519") {
    issues.push_back("type: Invalid enum value. Expected 'eip191' | 'ed25519'");
  }
  required("nonce", &out.nonce);
  required("issuedAt", &out.issued_at);
  optional("expirationTime", &out.expiration_time);
  optional("notBefore", &out.not_before);
  optional("requestId", &out.request_id);
  if (const json::value* r = o.if_contains("resources")) {
    std::vector<std::string> resources;
    if (!r->is_array()) {
      issues.push_back("resources: Expected array");
    } else {
      for (const json::value& item : r->get_array()) {
        if (!item.is_string()) {
          issues.push_back("resources: Expected string");
          break;
        }
        resources.emplace_back(item.get_string());
      }
    }
    out.resources = std::move(resources);
  }
  optional("signatureScheme", &out.signature_scheme);
  if (out.signature_scheme && *out.signature_scheme != "eip191" && *out.signature_scheme != "eip1271" &&
      *out.signature_scheme != "eip6492" && *out.signature_scheme != "siws") {
    issues.push_back("signatureScheme: Invalid enum value");
  }
  required("signature", &out.signature);
  if (!issues.empty()) {
    std::string joined;
    for (const std::string& issue : issues) joined += (joined.empty() ? "" : ", ") + issue;
    *problem = "Invalid SIWX header: " + joined;
    return false;
  }
  *payload = std::move(out);
  return true;
}

std::optional<SiwxRefusal> ValidateSiwx(const SiwxPayload& p, std::string_view origin, int64_t now_ms) {
  const std::optional<std::string> expected = NormalizedOrigin(origin);
  const std::string expected_host = expected ? expected->substr(expected->find("://") + 3) : std::string();
  if (p.domain != expected_host) {
    return SiwxRefusal{"invalid_siwx_domain_mismatch",
                       "Domain mismatch: expected \"" + expected_host + "\", got \"" + p.domain + "\""};
  }
  const std::optional<std::string> uri_origin = NormalizedOrigin(p.uri);
  if (!uri_origin) return SiwxRefusal{"invalid_siwx_uri_mismatch", "Invalid URI: \"" + p.uri + "\" is not a valid URL"};
  if (!expected || *uri_origin != *expected) {
    return SiwxRefusal{"invalid_siwx_uri_mismatch", "URI mismatch: expected origin \"" + expected.value_or("") +
                                                        "\", got \"" + *uri_origin + "\""};
  }
  const std::optional<int64_t> issued = ParseIsoTimeMs(p.issued_at);
  if (!issued) return SiwxRefusal{"invalid_siwx_issued_at", "Invalid issuedAt timestamp"};
  const int64_t age = now_ms - *issued;
  if (age > kSiwxMaxAgeMs) {
    return SiwxRefusal{"invalid_siwx_issued_at_too_old",
                       "Message too old: " + std::to_string((age + 500) / 1000) + "s exceeds 300s limit"};
  }
  if (age < 0) return SiwxRefusal{"invalid_siwx_issued_at_in_future", "issuedAt is in the future"};
  if (p.expiration_time && !p.expiration_time->empty()) {
    const std::optional<int64_t> expires = ParseIsoTimeMs(*p.expiration_time);
    if (!expires) return SiwxRefusal{"invalid_siwx_expiration_time", "Invalid expirationTime timestamp"};
    if (*expires < now_ms) return SiwxRefusal{"invalid_siwx_expired", "Message expired"};
  }
  if (p.not_before && !p.not_before->empty()) {
    const std::optional<int64_t> not_before = ParseIsoTimeMs(*p.not_before);
    if (!not_before) return SiwxRefusal{"invalid_siwx_not_before", "Invalid notBefore timestamp"};
    if (now_ms < *not_before) {
      return SiwxRefusal{"invalid_siwx_not_yet_valid", "Message not yet valid (notBefore is in the future)"};
    }
  }
  return std::nullopt;
}

std::optional<std::string> FormatSiweMessage(const SiwxPayload& p, std::string* problem) {
  // extractEVMChainId(): eip155:<digits>, read as a JavaScript number.
  const std::string digits = p.chain_id.rfind("eip155:", 0) == 0 ? p.chain_id.substr(7) : std::string();
  if (digits.empty() || digits.size() > 15 || !std::all_of(digits.begin(), digits.end(), IsDigit)) {
    *problem = "Invalid EVM chainId format: " + p.chain_id + ". Expected eip155:<number>";
    return std::nullopt;
  }
  const std::string chain = std::to_string(std::stoll(digits));
  // SiweMessage's constructor: an address all of one case is checksummed; a mixed-case one
  // must carry a valid EIP-55 checksum (the parser refuses it otherwise).
  std::string address = p.address;
  const auto parsed = IsPrefixedHex(address, 40) && address.substr(0, 2) == "0x" ? ParseEvmAddress(address) : std::nullopt;
  if (!parsed) {
    *problem = "invalid address: " + address;
    return std::nullopt;
  }
  const std::string body = address.substr(2);
  if (body == Lower(body) || body == Upper(body)) {
    address = ChecksumAddress(*parsed);
  } else if (address != ChecksumAddress(*parsed)) {
    *problem = "invalid EIP-55 address checksum - " + address;
    return std::nullopt;
  }
  auto fail = [&](std::string what) {
    *problem = std::move(what);
    return std::nullopt;
  };
  if (!IsAuthority(p.domain)) return fail("invalid domain: " + p.domain);
  if (p.statement && !p.statement->empty() && !IsStatementText(*p.statement)) return fail("invalid statement");
  if (!IsUri(p.uri)) return fail("invalid URI: " + p.uri);
  if (p.version != "1") return fail("invalid version: " + p.version);
  if (p.nonce.size() < 8 || !std::all_of(p.nonce.begin(), p.nonce.end(), IsAlnum)) return fail("invalid nonce: " + p.nonce);
  if (!IsDateTime(p.issued_at)) return fail("invalid issued-at date time: " + p.issued_at);
  if (p.expiration_time && !p.expiration_time->empty() && !IsDateTime(*p.expiration_time)) {
    return fail("invalid expiration-time: " + *p.expiration_time);
  }
  if (p.not_before && !p.not_before->empty() && !IsDateTime(*p.not_before)) return fail("invalid not-before: " + *p.not_before);
  if (p.request_id && !IsUriText(*p.request_id, "")) return fail("invalid request-id");
  if (p.resources) {
    for (const std::string& r : *p.resources) {
      if (!IsUri(r)) return fail("invalid resource: " + r);
    }
  }
  // toMessage(), line for line.
  std::string out = p.domain + " wants you to sign in with your Ethereum account:\n" + address;
  out += p.statement ? "\n\n" + *p.statement + "\n" : std::string("\n\n");
  out += "\nURI: " + p.uri + "\nVersion: " + p.version + "\nChain ID: " + chain + "\nNonce: " + p.nonce;
  out += "\nIssued At: " + p.issued_at;
  if (p.expiration_time && !p.expiration_time->empty()) out += "\nExpiration Time: " + *p.expiration_time;
  if (p.not_before && !p.not_before->empty()) out += "\nNot Before: " + *p.not_before;
  if (p.request_id) out += "\nRequest ID: " + *p.request_id;
  if (p.resources) {
    out += "\nResources:";
    for (const std::string& r : *p.resources) out += "\n- " + r;
  }
  return out;
}

std::string FormatSiwsMessage(const SiwxPayload& p) {
  std::string out = p.domain + " wants you to sign in with your Solana account:\n" + p.address + "\n\n";
  if (p.statement && !p.statement->empty()) out += *p.statement + "\n\n";
  const std::size_t colon = p.chain_id.find(':');
  const std::string reference = colon == std::string::npos ? std::string() : p.chain_id.substr(colon + 1, p.chain_id.find(':', colon + 1) - colon - 1);
  out += "URI: " + p.uri + "\nVersion: " + p.version + "\nChain ID: " + reference + "\nNonce: " + p.nonce +
         "\nIssued At: " + p.issued_at;
  if (p.expiration_time && !p.expiration_time->empty()) out += "\nExpiration Time: " + *p.expiration_time;
  if (p.not_before && !p.not_before->empty()) out += "\nNot Before: " + *p.not_before;
  if (p.request_id && !p.request_id->empty()) out += "\nRequest ID: " + *p.request_id;
  if (p.resources && !p.resources->empty()) {
    out += "\nResources:";
    for (const std::string& r : *p.resources) out += "\n- " + r;
  }
  return out;
}

std::optional<SiwxRefusal> VerifySiwxSignature(const SiwxPayload& p, std::string* payer) {
  if (p.chain_id.rfind("eip155:", 0) == 0) {
    const std::string digits = p.chain_id.substr(7);
    if (digits.empty() || !std::all_of(digits.begin(), digits.end(), IsDigit)) {
      return SiwxRefusal{"invalid_siwx_chain_id", "Invalid EVM chainId format: " + p.chain_id + ". Expected eip155:<number>"};
    }
    std::string problem;
    const std::optional<std::string> message = FormatSiweMessage(p, &problem);
    if (!message) {
      // The reference's SiweMessage throws here; its request hook reports the error and goes
      // on to the payment, with no reason code of its own.
      return SiwxRefusal{"invalid_siwx_message", "the EIP-4361 message cannot be built: " + problem};
    }
    // viem's verifyMessage(): EIP-191 personal_sign digest, ecrecover, address compared in
    // any case; anything it cannot read is false.
    EcdsaSignature signature{};
    const auto claimed = ParseEvmAddress(p.address);
    if (!claimed || !DecodePrefixedHex(p.signature, signature)) {
      return SiwxRefusal{"invalid_siwx_signature", "Signature verification failed"};
    }
    const std::string prefix = "\x19" "Ethereum Signed Message:\n" + std::to_string(message->size());
    const Hash32 digest = Keccak256({BytesOf(prefix), BytesOf(*message)});
    const std::optional<EvmAddress> signer = RecoverSigner(digest, signature);
    if (!signer || *signer != *claimed) return SiwxRefusal{"invalid_siwx_signature", "Signature verification failed"};
    *payer = p.address;
    return std::nullopt;
  }
  if (p.chain_id.rfind("solana:", 0) == 0) {
    const std::string message = FormatSiwsMessage(p);
    const auto signature = svm::Base58Decode(p.signature);  // at most 128 bytes
    const auto key = svm::Base58Decode(p.address);
    if (!signature || !key) {
      return SiwxRefusal{"invalid_siwx_malformed_signature", "Invalid Base58 encoding: decode failed"};
    }
    if (signature->size() != 64) {
      return SiwxRefusal{"invalid_siwx_malformed_signature",
                         "Invalid signature length: expected 64 bytes, got " + std::to_string(signature->size())};
    }
    if (key->size() != 32) {
      return SiwxRefusal{"invalid_siwx_malformed_signature",
                         "Invalid public key length: expected 32 bytes, got " + std::to_string(key->size())};
    }
    svm::PublicKey public_key{};
    svm::Signature sig{};
    std::copy(key->begin(), key->end(), public_key.begin());
    std::copy(signature->begin(), signature->end(), sig.begin());
    if (!svm::VerifyEd25519(public_key, BytesOf(message), sig)) {
      return SiwxRefusal{"invalid_siwx_signature", "Solana signature verification failed"};
    }
    *payer = p.address;
    return std::nullopt;
  }
  return SiwxRefusal{"invalid_siwx_unsupported_chain",
                     "Unsupported chain namespace: " + p.chain_id + ". Supported: eip155:* (EVM), solana:* (Solana)"};
}

std::string SiwxPayments::KeyOf(std::string_view path, std::string_view address) {
  const std::string lower = Lower(address);  // InMemorySIWxStorage lower-cases the payer
  const std::string separator(1, '\n');
  const Hash32 digest = Sha256({BytesOf(path), BytesOf(separator), BytesOf(lower)});
  return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

namespace {

std::string NonceKey(std::string_view nonce) {
  const Hash32 digest = Sha256({BytesOf(nonce)});
  return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

}  // namespace

void SiwxPayments::Record(std::string_view path, std::string_view address) {
  std::string key = KeyOf(path, address);
  std::lock_guard<std::mutex> lock(mutex_);
  if (!paid_.insert(key).second) return;
  order_.push_back(std::move(key));
  while (order_.size() > kCapacity) {
    paid_.erase(order_.front());
    order_.pop_front();
  }
}

bool SiwxPayments::HasPaid(std::string_view path, std::string_view address) const {
  const std::string key = KeyOf(path, address);
  std::lock_guard<std::mutex> lock(mutex_);
  return paid_.contains(key);
}

std::size_t SiwxPayments::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return paid_.size();
}

bool SiwxNonces::Used(std::string_view nonce, int64_t now_ms) const {
  const std::string key = NonceKey(nonce);
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = used_.find(key);
  return it != used_.end() && it->second > now_ms;
}

bool SiwxNonces::Record(std::string_view nonce, int64_t now_ms) {
  const std::string key = NonceKey(nonce);
  // A message is taken for at most kSiwxMaxAgeMs after its issuedAt, and issuedAt cannot be
  // in the future: after that long, the nonce could not sign anyone in again anyway.
  const int64_t forget_at = now_ms + kSiwxMaxAgeMs + 60'000;
  std::lock_guard<std::mutex> lock(mutex_);
  while (!order_.empty() && (order_.front().second <= now_ms || used_.size() >= kCapacity)) {
    auto it = used_.find(order_.front().first);
    if (it != used_.end() && it->second == order_.front().second) used_.erase(it);
    order_.pop_front();
  }
  auto [it, inserted] = used_.try_emplace(key, forget_at);
  if (!inserted && it->second > now_ms) return false;
  it->second = forget_at;
  order_.emplace_back(key, forget_at);
  return true;
}

}  // namespace x402
