#include "server/response_wire.h"

namespace x402 {

void RenderResponse(const Response& response, std::string* out) {
  out->clear();
  const unsigned version = response.version();
  out->append("HTTP/");
  out->push_back(static_cast<char>('0' + version / 10));
  out->push_back('.');
  out->push_back(static_cast<char>('0' + version % 10));
  out->push_back(' ');
  out->append(std::to_string(response.result_int()));
  out->push_back(' ');
  const auto reason = response.reason();
  out->append(reason.data(), reason.size());
  out->append("\r\n");
  for (const auto& field : response.base()) {
    const auto name = field.name_string();
    const auto value = field.value();
    out->append(name.data(), name.size());
    out->append(": ");
    out->append(value.data(), value.size());
    out->append("\r\n");
  }
  out->append("\r\n");
  out->append(response.body());
}

void RenderKeepAliveJson(unsigned status, std::string_view reason,
                         std::initializer_list<std::pair<std::string_view, std::string_view>> headers,
                         std::string_view body, std::string* out) {
  std::size_t size = 64 + body.size();
  for (const auto& [name, value] : headers) size += name.size() + value.size() + 4;
  out->clear();
  out->reserve(size);
  out->append("HTTP/1.1 ");
  out->append(std::to_string(status));
  out->push_back(' ');
  out->append(reason);
  out->append("\r\n");
  for (const auto& [name, value] : headers) {
    out->append(name);
    out->append(": ");
    out->append(value);
    out->append("\r\n");
  }
  out->append("Content-Length: ");
  out->append(std::to_string(body.size()));
  out->append("\r\n\r\n");
  out->append(body);
}

}  // namespace x402
