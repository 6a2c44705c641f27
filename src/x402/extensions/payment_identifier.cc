#include "x402/extensions/payment_identifier.h"

#include <boost/json.hpp>

#include <algorithm>

#include "x402/sha256.h"

namespace x402 {
namespace {

namespace json = boost::json;

constexpr std::size_t kMinIdLength = 16;   // PAYMENT_ID_MIN_LENGTH (types.ts)
constexpr std::size_t kMaxIdLength = 128;  // PAYMENT_ID_MAX_LENGTH

// isValidPaymentId() (utils.ts): 16–128 characters matching ^[a-zA-Z0-9_-]+$.
bool IsValidPaymentId(std::string_view id) {
  if (id.size() < kMinIdLength || id.size() > kMaxIdLength) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

json::object DeclarePaymentIdentifier(bool required) {
  // paymentIdentifierSchema (schema.ts).
  json::object schema{
      {"$schema", "https://json-schema.org/draft/2020-12/schema"},
      {"type", "object"},
      {"properties",
       json::object{{"required", json::object{{"type", "boolean"}}},
                    {"id", json::object{{"type", "string"},
                                        {"minLength", kMinIdLength},
                                        {"maxLength", kMaxIdLength},
                                        {"pattern", "^[a-zA-Z0-9_-]+$"}}}}},
      {"required", json::array{"required"}},
  };
  return json::object{{"info", json::object{{"required", required}}}, {"schema", std::move(schema)}};
}

PaymentIdentifier ReadPaymentIdentifier(const json::object& payment) {
  PaymentIdentifier out;
  const json::value* extensions = payment.if_contains("extensions");
  if (extensions == nullptr || extensions->is_null()) return out;
  if (!extensions->is_object()) {
    out.kind = PaymentIdentifier::Kind::kInvalid;
    out.problem = "extensions must be an object";
    return out;
  }
  const json::value* extension = extensions->get_object().if_contains(kPaymentIdentifierExtension);
  if (extension == nullptr || extension->is_null()) return out;  // null is absent, as `!extension` reads it
  // validatePaymentIdentifier() (validation.ts), in its order.
  auto invalid = [&out](std::string problem) {
    out.kind = PaymentIdentifier::Kind::kInvalid;
    out.problem = "extensions[\"payment-identifier\"]: " + std::move(problem);
    return out;
  };
  if (!extension->is_object()) return invalid("must be an object");
  const json::value* info = extension->get_object().if_contains("info");
  if (info == nullptr || !info->is_object()) return invalid("must have an 'info' object");
  const json::value* required = info->get_object().if_contains("required");
  if (required == nullptr || !required->is_bool()) return invalid("info must have a 'required' boolean");
  out.required = required->get_bool();
  const json::value* id = info->get_object().if_contains("id");
  if (id == nullptr) return out;
  if (!id->is_string()) return invalid("info.id must be a string");
  if (!IsValidPaymentId(id->get_string())) {
    return invalid("info.id must be 16-128 characters of letters, digits, '-' and '_' (got " +
                   std::to_string(id->get_string().size()) + " characters)");
  }
  out.kind = PaymentIdentifier::Kind::kPresent;
  out.id = std::string(id->get_string());
  return out;
}

Hash32 PaymentDigest(const json::object& payment) {
  // The resource too: the same signed payment sent to another route is another request.
  const json::value* payload = payment.if_contains("payload");
  const json::value* accepted = payment.if_contains("accepted");
  const json::value* resource = payment.if_contains("resource");
  const std::string a = payload != nullptr ? json::serialize(*payload) : std::string();
  const std::string b = accepted != nullptr ? json::serialize(*accepted) : std::string();
  const std::string c = resource != nullptr ? json::serialize(*resource) : std::string();
  const std::string separator(1, '\n');
  return Sha256({BytesOf(a), BytesOf(separator), BytesOf(b), BytesOf(separator), BytesOf(c)});
}

std::string PaymentIdentifierStore::KeyOf(std::string_view scope, std::string_view id) {
  // A digest: the scope names a path, which can be as long as a request line.
  const std::string separator(1, '\n');
  const Hash32 digest = Sha256({BytesOf(scope), BytesOf(separator), BytesOf(id)});
  return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

PaymentIdentifierStore::Claim PaymentIdentifierStore::Begin(std::string_view scope, std::string_view id,
                                                            const Hash32& digest,
                                                            std::shared_ptr<const Answer>* answer) {
  const std::string key = KeyOf(scope, id);
  std::lock_guard<std::mutex> lock(mutex_);
  auto [it, inserted] = entries_.try_emplace(key);
  if (inserted) {
    it->second.digest = digest;
    return Claim::kNew;
  }
  if (it->second.digest != digest) return Claim::kConflict;
  if (!it->second.answer) return Claim::kInProgress;
  if (it->second.answer->reprocess) {
    // Settled but not answered (pending): the same payment goes through again, to be
    // reconciled; the id stays claimed meanwhile.
    it->second.answer.reset();
    return Claim::kNew;
  }
  *answer = it->second.answer;
  return Claim::kRepeat;
}

void PaymentIdentifierStore::Finish(std::string_view scope, std::string_view id, std::shared_ptr<const Answer> answer) {
  const std::string key = KeyOf(scope, id);
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return;
  std::size_t bytes = answer ? answer->body.size() + answer->settlement.size() : 0;
  if (answer) {
    for (const auto& [name, value] : answer->headers) bytes += name.size() + value.size();
  }
  if (!answer || bytes > kMaxAnswerBytes) {
    entries_.erase(it);
    return;
  }
  const bool kept_before = std::find(order_.begin(), order_.end(), key) != order_.end();
  it->second.answer = std::move(answer);
  if (kept_before) return;  // a pending payment's answer replaced: already in the order
  order_.push_back(key);
  while (order_.size() > kCapacity) {
    entries_.erase(order_.front());
    order_.pop_front();
  }
}

std::size_t PaymentIdentifierStore::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return order_.size();
}

}  // namespace x402
