#include "net/allowed_hosts.h"

#include <algorithm>

#include "base/text.h"

namespace x402 {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// "a.b.c.d" with four decimal parts of at most three digits each (whatever their values: an
// odd address is still an address, and no DNS name looks like this).
bool IsIpv4Literal(std::string_view host) {
  int parts = 0;
  std::size_t digits = 0;
  for (char c : host) {
    if (IsDigit(c)) {
      if (++digits > 3) return false;
    } else if (c == '.') {
      if (digits == 0) return false;
      ++parts;
      digits = 0;
    } else {
      return false;
    }
  }
  return digits > 0 && parts == 3;
}

// The name a Host header gives, without its port, lowercase, without a final dot; an IPv6
// literal keeps its brackets ("[::1]").
std::string HostName(std::string_view header) {
  std::string_view name = header;
  if (!name.empty() && name.front() == '[') {
    const std::size_t close = name.find(']');
    name = close == std::string_view::npos ? name : name.substr(0, close + 1);
  } else if (const std::size_t colon = name.rfind(':'); colon != std::string_view::npos) {
    name = name.substr(0, colon);
  }
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  return ToLowerAscii(name);
}

// The listening address as a name to compare with: without brackets' contents changed, port
// or final dot (it is never written with a port).
std::string_view HostNameView(std::string_view host) {
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  return host;
}

bool IsValidName(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '.' ||
           c == '_' || c == ':' || c == '[' || c == ']';
  });
}

}  // namespace

bool ParseAllowedHosts(std::string_view text, std::vector<std::string>* out, std::string* problem) {
  std::vector<std::string> parsed;
  bool any = false;
  std::string current;
  auto flush = [&]() -> bool {
    if (current.empty()) return true;
    if (current == kAnyHost) {
      any = true;
    } else if (!IsValidName(current) || current == ".") {
      *problem = "'" + current + "' is not a host name (letters, digits, '-', '.'; '.name' for a name and its subdomains)";
      return false;
    } else {
      parsed.push_back(current.front() == '.' ? "." + HostName(current.substr(1)) : HostName(current));
    }
    current.clear();
    return true;
  };
  for (char c : text) {
    if (c == ',' || c == ' ' || c == '\t') {
      if (!flush()) return false;
    } else {
      current += c;
    }
  }
  if (!flush()) return false;
  if (any && !parsed.empty()) {
    *problem = "'all' turns the check off; list host names or write all, not both";
    return false;
  }
  if (any) parsed.assign(1, std::string(kAnyHost));
  *out = std::move(parsed);
  return true;
}

std::string FormatAllowedHosts(std::span<const std::string> allowed) {
  std::string out;
  for (const std::string& name : allowed) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

bool IsHostAllowed(std::string_view host_header, std::string_view listen_host,
                   std::span<const std::string> allowed) {
  if (host_header.empty()) return true;
  if (allowed.size() == 1 && allowed.front() == kAnyHost) return true;
  // The name without its port, compared without building a lowercase copy: this runs on every
  // request.
  std::string_view name = host_header;
  if (name.front() == '[') return name.find(']') != std::string_view::npos;  // IPv6 literal
  if (const std::size_t colon = name.rfind(':'); colon != std::string_view::npos) {
    name = name.substr(0, colon);
  }
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (IsIpv4Literal(name)) return true;
  auto ends_with = [&name](std::string_view suffix) {
    return name.size() >= suffix.size() &&
           EqualsIgnoreCaseAscii(name.substr(name.size() - suffix.size()), suffix);
  };
  if (EqualsIgnoreCaseAscii(name, "localhost") || ends_with(".localhost")) return true;
  if (EqualsIgnoreCaseAscii(name, HostNameView(listen_host))) return true;
  for (const std::string& entry : allowed) {
    if (entry.front() == '.') {
      if (EqualsIgnoreCaseAscii(name, std::string_view(entry).substr(1)) || ends_with(entry)) return true;
    } else if (EqualsIgnoreCaseAscii(name, entry)) {
      return true;
    }
  }
  return false;
}

}  // namespace x402
