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

}  // namespace x402
