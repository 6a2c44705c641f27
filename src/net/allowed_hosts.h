// Which Host headers the server answers. A web page the developer has open can make the
// browser send requests to 127.0.0.1 under its own name by rebinding that name's DNS to
// 127.0.0.1 (DNS rebinding); the page is then same-origin with the mock and could read and
// clear the history, or make the mock record and settle payments. Such a request carries the
// page's name in its Host header, so the server answers only Hosts that name it, as
// webpack-dev-server and Vite do:
//   - no Host header at all (HTTP/1.0 tools; a browser always sends one);
//   - an IP literal (127.0.0.1, [::1], 10.0.0.5:3402): an address cannot be rebound;
//   - localhost and *.localhost (RFC 6761: they resolve to loopback only);
//   - the name the server was told to listen on (mock_server.host);
//   - an entry of mock_server.allowed_hosts: a name, or ".example.test" for that name and
//     every name below it; "all" turns the check off (containers, tunnels).
// Ports are ignored: the port is not what a rebinding attack changes.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace x402 {

/// The entry of mock_server.allowed_hosts that turns the check off.
inline constexpr std::string_view kAnyHost = "all";

/// Parses mock_server.allowed_hosts: "all", or names separated by commas or spaces ("" is
/// none) into lowercase names without ports (".name" kept as it is: that name and below).
/// On failure sets |problem| and returns false.
bool ParseAllowedHosts(std::string_view text, std::vector<std::string>* out, std::string* problem);

/// The setting as text again ("all", "a.test, .b.test", or "" for none).
std::string FormatAllowedHosts(std::span<const std::string> allowed);

/// Whether a request whose Host header is |host_header| (the raw value; empty when absent)
/// is addressed to a server listening on |listen_host|, given the parsed |allowed| list.
bool IsHostAllowed(std::string_view host_header, std::string_view listen_host,
                   std::span<const std::string> allowed);

}  // namespace x402
