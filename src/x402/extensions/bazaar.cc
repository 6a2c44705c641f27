#include "x402/extensions/bazaar.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>

#include "base/text.h"
#include "x402/iso_time.h"
#include "x402/json_fields.h"

namespace x402 {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxServiceName = 32;  // MAX_SERVICE_NAME_LEN (src/bazaar/facilitator.ts)
constexpr std::size_t kMaxTag = 32;          // MAX_TAG_LEN
constexpr std::size_t kMaxTags = 5;          // MAX_TAGS
constexpr std::size_t kMaxDescription = 1024;
constexpr std::size_t kMaxUrl = 2048;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

bool IsQueryMethod(std::string_view m) { return m == "GET" || m == "HEAD" || m == "DELETE"; }
bool IsBodyMethod(std::string_view m) { return m == "POST" || m == "PUT" || m == "PATCH"; }
bool IsBodyType(std::string_view t) { return t == "json" || t == "form-data" || t == "text"; }

// PRINTABLE_ASCII_REGEX: 1..max characters of U+0020–U+007E (isValidServiceName, sanitizeTags).
bool IsPrintableAscii(std::string_view s, std::size_t max) {
  if (s.empty() || s.size() > max) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

bool HasControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// A field of an object that may be missing (json_fields.h reads it).
const json::object* ObjectAt(const json::object& o, std::string_view key) { return ObjectField(o, key); }
std::string StringAt(const json::object* o, std::string_view key) {
  return o != nullptr ? std::string(TextField(*o, key)) : std::string();
}

// hasExternalSchemaReference() (src/bazaar/facilitator.ts): only "#…" references, which resolve
// in the document itself, are safe in a schema that a client sent.
bool HasExternalReference(const json::value& node, int depth = 0) {
  if (depth > 64) return true;  // deeper than any schema needs: refused rather than walked
  if (node.is_array()) {
    for (const json::value& item : node.get_array()) {
      if (HasExternalReference(item, depth + 1)) return true;
    }
  } else if (node.is_object()) {
    for (const auto& [key, value] : node.get_object()) {
      if (key == "$ref" || key == "$id") {
        if (!value.is_string() || value.get_string().empty() || value.get_string()[0] != '#') return true;
      }
      if (HasExternalReference(value, depth + 1)) return true;
    }
  }
  return false;
}

// validateDiscoveryExtensionSpec() (src/bazaar/facilitator.ts), for the http inputs the
// catalog keeps: "" when |info| passes, else why not.
std::string CheckDiscoveryInfo(const json::object& info) {
  const json::object* input = ObjectAt(info, "input");
  if (input == nullptr) return "missing or invalid 'info.input' field";
  const std::string type = StringAt(input, "type");
  if (type != "http" && type != "mcp") return "info.input.type must be \"http\" or \"mcp\", got \"" + type + "\"";
  if (type == "mcp") return "an MCP tool (info.input.type \"mcp\"): the catalog keeps HTTP resources, as the reference e2e facilitator does";
  const std::string method = StringAt(input, "method");
  // The e2e facilitator catalogs only what names its method (discovered.method).
  if (!IsQueryMethod(method) && !IsBodyMethod(method)) {
    return "info.input.method must be one of GET, HEAD, DELETE, POST, PUT, PATCH, got \"" + method + "\"";
  }
  if (const json::value* body_type = input->if_contains("bodyType")) {
    if (!body_type->is_string() || !IsBodyType(body_type->get_string())) {
      return "info.input.bodyType must be one of json, form-data, text";
    }
    if (!IsBodyMethod(method)) return "info.input.bodyType is set but method \"" + method + "\" is not a body method";
  }
  return {};
}

// isValidRouteTemplate() (src/bazaar/facilitator.ts): ^/[a-zA-Z0-9_/:.\-~%]+$, and no ".." or
// "://" once percent-decoded (the mock decodes once and refuses any '%' left, which the
// reference's fixed-point decoding would have to resolve).
bool IsValidRouteTemplate(std::string_view t) {
  if (t.size() < 2 || t[0] != '/' || t.size() > kMaxUrl) return false;
  std::string decoded;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '/' || c == ':' || c == '.' ||
                    c == '-' || c == '~' || c == '%';
    if (!ok) return false;
    if (c == '%') {
      if (i + 2 >= t.size() || !std::isxdigit(static_cast<unsigned char>(t[i + 1])) ||
          !std::isxdigit(static_cast<unsigned char>(t[i + 2]))) {
        return false;
      }
      decoded += static_cast<char>(std::stoi(std::string(t.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      decoded += c;
    }
  }
  return decoded.find("..") == std::string::npos && decoded.find("://") == std::string::npos &&
         decoded.find('%') == std::string::npos;
}

// The URL without its query and fragment, split at its path: false when it is not an http(s)
// URL a catalog should hold.
bool SplitUrl(std::string_view url, std::string* origin, std::string* path) {
  if (url.size() > kMaxUrl || HasControl(url) || url.find(' ') != std::string_view::npos) return false;
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return false;
  const std::string scheme = Upper(url.substr(0, scheme_end));
  if (scheme != "HTTP" && scheme != "HTTPS") return false;
  const std::size_t host_start = scheme_end + 3;
  std::size_t host_end = url.find_first_of("/?#", host_start);
  if (host_end == std::string_view::npos) host_end = url.size();
  if (host_end == host_start) return false;
  // As new URL() reads it (extractDiscoveryInfo() keeps url.origin): credentials dropped, the
  // host in lower case, the scheme's default port left out.
  std::string_view authority = url.substr(host_start, host_end - host_start);
  if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) authority = authority.substr(at + 1);
  if (authority.empty()) return false;
  std::string host = ToLowerAscii(authority);
  if (scheme == "HTTP" && host.size() > 3 && host.compare(host.size() - 3, 3, ":80") == 0) host.resize(host.size() - 3);
  if (scheme == "HTTPS" && host.size() > 4 && host.compare(host.size() - 4, 4, ":443") == 0) host.resize(host.size() - 4);
  *origin = ToLowerAscii(scheme) + "://" + host;
  std::size_t path_end = url.find_first_of("?#", host_end);
  if (path_end == std::string_view::npos) path_end = url.size();
  *path = host_end < path_end ? std::string(url.substr(host_end, path_end - host_end)) : std::string("/");
  return true;
}

// sanitizeTags(): printable ASCII, case-insensitive duplicates dropped, at most five.
std::vector<std::string> SanitizeTags(const json::value* value) {
  std::vector<std::string> out, seen;
  if (value == nullptr || !value->is_array()) return out;
  for (const json::value& entry : value->get_array()) {
    if (!entry.is_string() || !IsPrintableAscii(entry.get_string(), kMaxTag)) continue;
    std::string key(entry.get_string());
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
    seen.push_back(key);
    out.emplace_back(entry.get_string());
    if (out.size() == kMaxTags) break;
  }
  return out;
}

json::value ParseOr(const std::string& text, json::value fallback) {
  if (text.empty()) return fallback;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  return ec ? fallback : v;
}

// A JSON-schema object for |key| from the config: an object, kept as its text.
bool SchemaText(const json::object& o, std::string_view key, std::string* out, std::string* problem) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return true;
  if (!v->is_object()) {
    *problem = std::string(key) + " must be a JSON Schema object, e.g. {properties: {city: {type: string}}}";
    return false;
  }
  if (HasExternalReference(*v)) {
    *problem = std::string(key) + " must not use $ref or $id outside the document itself (the reference refuses them)";
    return false;
  }
  *out = json::serialize(*v);
  return true;
}

}  // namespace

bool ParseDiscoverySpec(const json::value& value, DiscoverySpec* spec, std::string* problem) {
  if (!value.is_object()) {
    *problem = "must be a mapping: {method, description, query | body, output, tags, service_name}";
    return false;
  }
  static const std::vector<std::string> kKeys = {"method", "description", "query", "query_schema", "body",
                                                 "body_type", "body_schema", "output", "output_schema",
                                                 "tags", "service_name"};
  const json::object& o = value.get_object();
  for (const auto& [key, _] : o) {
    if (std::find(kKeys.begin(), kKeys.end(), key) == kKeys.end()) {
      auto close = ClosestMatch(key, kKeys);
      *problem = "unknown key '" + std::string(key) + "'" + (close ? "; did you mean '" + *close + "'?" : "") +
                 " (it takes method, description, query, query_schema, body, body_type, body_schema, output, "
                 "output_schema, tags, service_name)";
      return false;
    }
  }
  DiscoverySpec out;
  if (const json::value* method = o.if_contains("method")) {
    out.method = method->is_string() ? Upper(method->get_string()) : std::string();
    if (!IsQueryMethod(out.method) && !IsBodyMethod(out.method)) {
      *problem = "method must be GET, HEAD, DELETE, POST, PUT or PATCH";
      return false;
    }
  }
  if (const json::value* d = o.if_contains("description")) {
    if (!d->is_string() || d->get_string().size() > kMaxDescription || HasControl(d->get_string())) {
      *problem = "description must be text of at most 1024 characters, without control characters";
      return false;
    }
    out.description = std::string(d->get_string());
  }
  const bool body = out.body_method();
  for (std::string_view wrong : body ? std::vector<std::string_view>{"query", "query_schema"}
                                     : std::vector<std::string_view>{"body", "body_type", "body_schema"}) {
    if (o.contains(wrong)) {
      *problem = std::string(wrong) + " is for " + (body ? "GET, HEAD and DELETE" : "POST, PUT and PATCH") +
                 " routes; this one is " + out.method;
      return false;
    }
  }
  const std::string_view input_key = body ? "body" : "query";
  if (const json::value* input = o.if_contains(input_key)) {
    if (!input->is_object()) {
      *problem = std::string(input_key) + " must be a mapping of example " + (body ? "fields" : "parameters");
      return false;
    }
    out.input_json = json::serialize(*input);
  }
  if (!SchemaText(o, body ? "body_schema" : "query_schema", &out.input_schema_json, problem)) return false;
  if (const json::value* t = o.if_contains("body_type")) {
    if (!t->is_string() || !IsBodyType(t->get_string())) {
      *problem = "body_type must be json, form-data or text";
      return false;
    }
    out.body_type = std::string(t->get_string());
  }
  if (const json::value* output = o.if_contains("output")) {
    // declareDiscoveryExtension()'s schema types the example as an object.
    if (!output->is_object()) {
      *problem = "output must be a mapping: an example of the answer (the reference's schema types it as an object)";
      return false;
    }
    out.output_json = json::serialize(*output);
  }
  if (!SchemaText(o, "output_schema", &out.output_schema_json, problem)) return false;
  if (const json::value* tags = o.if_contains("tags")) {
    if (!tags->is_array() || tags->get_array().size() > kMaxTags) {
      *problem = "tags must be a list of at most 5";
      return false;
    }
    for (const json::value& tag : tags->get_array()) {
      if (!tag.is_string() || !IsPrintableAscii(tag.get_string(), kMaxTag)) {
        *problem = "each tag must be 1-32 printable ASCII characters (the reference drops others)";
        return false;
      }
      out.tags.emplace_back(tag.get_string());
    }
  }
  if (const json::value* name = o.if_contains("service_name")) {
    if (!name->is_string() || !IsPrintableAscii(name->get_string(), kMaxServiceName)) {
      *problem = "service_name must be 1-32 printable ASCII characters (the reference drops others)";
      return false;
    }
    out.service_name = std::string(name->get_string());
  }
  *spec = std::move(out);
  return true;
}

json::object DiscoverySpecJson(const DiscoverySpec& spec) {
  const bool body = spec.body_method();
  json::object out{{"method", spec.method}};
  if (!spec.description.empty()) out["description"] = spec.description;
  if (!spec.input_json.empty()) out[body ? "body" : "query"] = ParseOr(spec.input_json, json::object{});
  if (!spec.input_schema_json.empty()) out[body ? "body_schema" : "query_schema"] = ParseOr(spec.input_schema_json, json::object{});
  if (body) out["body_type"] = spec.body_type;
  if (!spec.output_json.empty()) out["output"] = ParseOr(spec.output_json, json::object{});
  if (!spec.output_schema_json.empty()) out["output_schema"] = ParseOr(spec.output_schema_json, json::object{});
  if (!spec.tags.empty()) {
    json::array tags;
    for (const std::string& tag : spec.tags) tags.emplace_back(tag);
    out["tags"] = std::move(tags);
  }
  if (!spec.service_name.empty()) out["service_name"] = spec.service_name;
  return out;
}

json::object DeclareDiscovery(const DiscoverySpec& spec, std::string_view pattern, std::string_view path) {
  const bool body = spec.body_method();
  json::object input{{"type", "http"}, {"method", spec.method}};
  if (body) {
    input["bodyType"] = spec.body_type;
    input["body"] = ParseOr(spec.input_json, json::object{});
  } else {
    input["queryParams"] = ParseOr(spec.input_json, json::object{});
  }
  json::object info{{"input", std::move(input)}};
  if (!spec.output_json.empty()) {
    info["output"] = json::object{{"type", "json"}, {"example", ParseOr(spec.output_json, json::object{})}};
  }
  // createQueryDiscoveryExtension() / createBodyDiscoveryExtension(), the method's enum narrowed
  // as enrichDeclaration() narrows it.
  json::value input_schema = ParseOr(spec.input_schema_json, json::object{{"properties", json::object{}}});
  json::object input_properties{{"type", json::object{{"type", "string"}, {"const", "http"}}},
                                {"method", json::object{{"type", "string"}, {"enum", json::array{json::value(spec.method)}}}}};
  json::array required{"type", "method"};
  if (body) {
    input_properties["bodyType"] = json::object{{"type", "string"}, {"enum", json::array{"json", "form-data", "text"}}};
    input_properties["body"] = std::move(input_schema);
    required.emplace_back("bodyType");
    required.emplace_back("body");
  } else {
    json::object query{{"type", "object"}};
    if (input_schema.is_object()) {
      for (const auto& [k, v] : input_schema.get_object()) query[k] = v;
    }
    input_properties["queryParams"] = std::move(query);
  }
  json::object properties{{"input", json::object{{"type", "object"},
                                                 {"properties", std::move(input_properties)},
                                                 {"required", std::move(required)},
                                                 {"additionalProperties", false}}}};
  if (!spec.output_json.empty()) {
    json::object example{{"type", "object"}};
    const json::value output_schema = ParseOr(spec.output_schema_json, json::object{});
    if (output_schema.is_object()) {
      for (const auto& [k, v] : output_schema.get_object()) example[k] = v;
    }
    properties["output"] = json::object{
        {"type", "object"},
        {"properties", json::object{{"type", json::object{{"type", "string"}}}, {"example", std::move(example)}}},
        {"required", json::array{"type"}}};
  }
  // A prefix rule is a dynamic route: its template, the path's parameter, and the schema's
  // pathParams (enrichDeclaration()).
  std::string route_template;
  if (pattern.size() > 2 && pattern.substr(pattern.size() - 2) == "/*") {
    const std::string_view base = pattern.substr(0, pattern.size() - 1);  // "/a/"
    route_template = std::string(base) + ":var1";
    json::object params;
    if (path.size() > base.size() && path.substr(0, base.size()) == base &&
        path.substr(base.size()).find('/') == std::string_view::npos) {
      params["var1"] = path.substr(base.size());
    }
    info["input"].as_object()["pathParams"] = std::move(params);
    json::object& input_schema_properties = properties["input"].as_object()["properties"].as_object();
    if (!input_schema_properties.contains("pathParams")) input_schema_properties["pathParams"] = json::object{{"type", "object"}};
  }
  json::object schema{{"$schema", "https://json-schema.org/draft/2020-12/schema"},
                      {"type", "object"},
                      {"properties", std::move(properties)},
                      {"required", json::array{"input"}}};
  json::object out{{"info", std::move(info)}, {"schema", std::move(schema)}};
  if (!route_template.empty()) out["routeTemplate"] = route_template;
  return out;
}

json::object DiscoveryResourceInfo(const DiscoverySpec& spec) {
  json::object out;
  if (!spec.service_name.empty()) out["serviceName"] = spec.service_name;
  if (!spec.tags.empty()) {
    json::array tags;
    for (const std::string& tag : spec.tags) tags.emplace_back(tag);
    out["tags"] = std::move(tags);
  }
  return out;
}

json::object DiscoveredResource::ToJson() const {
  json::object out{{"resource", resource},
                   {"type", "http"},
                   {"x402Version", x402_version},
                   {"accepts", ParseOr(accepts_json, json::array{})},
                   {"lastUpdated", IsoTimeMs(last_updated_ms)}};
  if (!description.empty()) out["description"] = description;
  if (!mime_type.empty()) out["mimeType"] = mime_type;
  if (!service_name.empty()) out["serviceName"] = service_name;
  if (!tags.empty()) {
    json::array t;
    for (const std::string& tag : tags) t.emplace_back(tag);
    out["tags"] = std::move(t);
  }
  if (!extensions_json.empty()) out["extensions"] = ParseOr(extensions_json, json::object{});
  return out;
}

bool DiscoveredResource::Offers(std::string_view field, std::string_view value) const {
  const json::value accepts = ParseOr(accepts_json, json::array{});
  if (!accepts.is_array()) return false;
  for (const json::value& option : accepts.get_array()) {
    if (!option.is_object()) continue;
    const std::string have = StringAt(&option.get_object(), field);
    // An EVM address matches in any letter case; everything else exactly.
    const bool evm = have.size() == 42 && have.rfind("0x", 0) == 0;
    if (evm ? Upper(have) == Upper(value) : have == value) return true;
  }
  return false;
}

std::optional<DiscoveredResource> ExtractDiscovered(const json::value& payload, const json::value& requirements,
                                                   int x402_version, int64_t now_ms, std::string* why) {
  if (!payload.is_object() || !requirements.is_object()) return std::nullopt;
  const json::object& p = payload.get_object();
  const json::object& req = requirements.get_object();
  DiscoveredResource out;
  out.x402_version = x402_version;
  out.last_updated_ms = now_ms;
  std::string url, route_template;
  json::object info;
  if (x402_version == 2) {
    const json::object* extensions = ObjectAt(p, "extensions");
    const json::object* bazaar = extensions != nullptr ? ObjectAt(*extensions, kBazaarExtension) : nullptr;
    if (bazaar == nullptr) return std::nullopt;
    const json::object* declared_info = ObjectAt(*bazaar, "info");
    if (declared_info == nullptr) {
      *why = "extensions.bazaar has no info object";
      return std::nullopt;
    }
    if (const json::value* schema = bazaar->if_contains("schema"); schema != nullptr && HasExternalReference(*schema)) {
      *why = "schema must not contain external $ref/$id references";
      return std::nullopt;
    }
    if (std::string problem = CheckDiscoveryInfo(*declared_info); !problem.empty()) {
      *why = problem;
      return std::nullopt;
    }
    info = *declared_info;
    const json::object* resource = ObjectAt(p, "resource");
    url = StringAt(resource, "url");
    out.description = StringAt(resource, "description");
    out.mime_type = StringAt(resource, "mimeType");
    if (const std::string name = StringAt(resource, "serviceName"); IsPrintableAscii(name, kMaxServiceName)) {
      out.service_name = name;
    }
    if (resource != nullptr) out.tags = SanitizeTags(resource->if_contains("tags"));
    if (const std::string t = StringAt(bazaar, "routeTemplate"); IsValidRouteTemplate(t)) route_template = t;
    out.extensions_json = json::serialize(json::object{{kBazaarExtension, *bazaar}});
  } else {
    // extractDiscoveryInfoV1() (src/bazaar/v1/facilitator.ts): the requirements' outputSchema,
    // when its input says http and names a method.
    const json::object* schema = ObjectAt(req, "outputSchema");
    const json::object* input = schema != nullptr ? ObjectAt(*schema, "input") : nullptr;
    if (input == nullptr || StringAt(input, "type") != "http" || !input->contains("method")) return std::nullopt;
    // discoverable defaults to true; false keeps it out of the catalog.
    if (const json::value* discoverable = input->if_contains("discoverable");
        discoverable != nullptr && discoverable->is_bool() && !discoverable->get_bool()) {
      return std::nullopt;
    }
    const std::string method = Upper(StringAt(input, "method"));
    json::object v2_input{{"type", "http"}, {"method", method}};
    if (IsBodyMethod(method)) {
      // extractBodyInfo(): a body type naming form or multipart is form-data, text or plain
      // is text, anything else json.
      std::string body_type = ToLowerAscii(StringAt(input, "bodyType").empty() ? StringAt(input, "body_type")
                                                                               : StringAt(input, "bodyType"));
      v2_input["bodyType"] = body_type.find("form") != std::string::npos || body_type.find("multipart") != std::string::npos
                                 ? "form-data"
                             : body_type.find("text") != std::string::npos || body_type.find("plain") != std::string::npos
                                 ? "text"
                                 : "json";
      for (std::string_view key : {"bodyFields", "body_fields", "bodyParams", "body", "data"}) {
        if (const json::object* b = ObjectAt(*input, key)) {
          v2_input["body"] = *b;
          break;
        }
      }
      if (!v2_input.contains("body")) v2_input["body"] = json::object{};
    } else {
      for (std::string_view key : {"queryParams", "query_params", "query", "params"}) {
        if (const json::object* q = ObjectAt(*input, key)) {
          v2_input["queryParams"] = *q;
          break;
        }
      }
    }
    for (std::string_view key : {"headerFields", "header_fields", "headers"}) {
      if (const json::object* headers = ObjectAt(*input, key)) {
        v2_input["headers"] = *headers;
        break;
      }
    }
    info = json::object{{"input", std::move(v2_input)}};
    if (const json::value* output = schema->if_contains("output"); output != nullptr && !output->is_null()) {
      info["output"] = json::object{{"type", "json"}, {"example", *output}};
    }
    if (std::string problem = CheckDiscoveryInfo(info); !problem.empty()) {
      *why = "outputSchema: " + problem;
      return std::nullopt;
    }
    url = StringAt(&req, "resource");
    out.description = StringAt(&req, "description");
    out.mime_type = StringAt(&req, "mimeType");
    out.extensions_json = json::serialize(json::object{{kBazaarExtension, json::object{{"info", info}}}});
  }
  std::string origin, path;
  if (!SplitUrl(url, &origin, &path)) {
    *why = "the resource URL is not an http(s) URL of at most 2048 characters";
    return std::nullopt;
  }
  out.resource = origin + (route_template.empty() ? path : route_template);
  out.method = StringAt(ObjectAt(info, "input"), "method");
  if (out.description.size() > kMaxDescription || HasControl(out.description)) out.description.clear();
  if (out.mime_type.size() > 256 || HasControl(out.mime_type)) out.mime_type.clear();
  out.accepts_json = json::serialize(json::array{requirements});
  return out;
}

bool BazaarCatalog::Record(DiscoveredResource resource) {
  if (resource.accepts_json.size() + resource.extensions_json.size() + resource.description.size() > kMaxEntryBytes) {
    return false;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(resource.resource);
  if (it == entries_.end() && entries_.size() >= kCapacity) {
    auto oldest = std::min_element(entries_.begin(), entries_.end(), [](const auto& a, const auto& b) {
      return a.second.last_updated_ms < b.second.last_updated_ms;
    });
    entries_.erase(oldest);
  }
  std::string key = resource.resource;
  entries_.insert_or_assign(std::move(key), std::move(resource));
  return true;
}

namespace {

bool Matches(const DiscoveredResource& r, const DiscoveryQuery& q) {
  if (!q.type.empty() && q.type != "http") return false;
  if (!q.pay_to.empty() && !r.Offers("payTo", q.pay_to)) return false;
  if (!q.scheme.empty() && !r.Offers("scheme", q.scheme)) return false;
  if (!q.network.empty() && !r.Offers("network", q.network)) return false;
  if (!q.extensions.empty()) {
    // Every listed extension key must be among the resource's.
    const json::value extensions = ParseOr(r.extensions_json, json::object{});
    std::string_view rest = q.extensions;
    while (!rest.empty()) {
      const std::size_t comma = rest.find(',');
      const std::string_view key = Trim(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      if (!key.empty() && (!extensions.is_object() || !extensions.get_object().contains(key))) return false;
    }
  }
  if (!q.text.empty()) {
    std::string haystack = r.resource + '\n' + r.description + '\n' + r.service_name + '\n' + r.method;
    for (const std::string& tag : r.tags) haystack += '\n' + tag;
    haystack = ToLowerAscii(haystack);
    std::string_view words = q.text;
    while (!words.empty()) {
      const std::size_t space = words.find(' ');
      const std::string word = ToLowerAscii(words.substr(0, space));
      words = space == std::string_view::npos ? std::string_view() : words.substr(space + 1);
      if (!word.empty() && haystack.find(word) == std::string::npos) return false;
    }
  }
  return true;
}

}  // namespace

BazaarCatalog::Page BazaarCatalog::Find(const DiscoveryQuery& query, const std::vector<DiscoveredResource>& declared) const {
  std::vector<DiscoveredResource> matches;
  for (const DiscoveredResource& r : declared) {
    if (Matches(r, query)) matches.push_back(r);
  }
  std::vector<DiscoveredResource> seen;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& entry : entries_) {
      // One of the mock's own routes, cataloged too when the facilitator saw it paid: listed once.
      const std::string& url = entry.first;
      const bool own = std::any_of(declared.begin(), declared.end(), [&](const DiscoveredResource& d) { return d.resource == url; });
      if (!own && Matches(entry.second, query)) seen.push_back(entry.second);
    }
  }
  std::sort(seen.begin(), seen.end(),
            [](const DiscoveredResource& a, const DiscoveredResource& b) { return a.last_updated_ms > b.last_updated_ms; });
  for (DiscoveredResource& r : seen) matches.push_back(std::move(r));
  Page page;
  page.total = matches.size();
  for (std::size_t i = query.offset; i < matches.size() && page.items.size() < query.limit; ++i) {
    page.items.push_back(std::move(matches[i]));
  }
  return page;
}

std::size_t BazaarCatalog::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

std::string RenderDiscoveryList(const BazaarCatalog::Page& page, const DiscoveryQuery& query) {
  json::array items;
  for (const DiscoveredResource& r : page.items) items.emplace_back(r.ToJson());
  return json::serialize(json::object{
      {"x402Version", 2},
      {"items", std::move(items)},
      {"pagination", json::object{{"limit", query.limit}, {"offset", query.offset}, {"total", page.total}}}});
}

std::string RenderDiscoverySearch(const BazaarCatalog::Page& page, const DiscoveryQuery& query) {
  json::array resources;
  for (const DiscoveredResource& r : page.items) resources.emplace_back(r.ToJson());
  const std::size_t next = query.offset + page.items.size();
  json::value cursor = next < page.total ? json::value(std::to_string(next)) : json::value(nullptr);
  return json::serialize(json::object{{"x402Version", 2},
                                      {"resources", std::move(resources)},
                                      {"partialResults", false},
                                      {"pagination", json::object{{"limit", query.limit}, {"cursor", std::move(cursor)}}}});
}

}  // namespace x402
