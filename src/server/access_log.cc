#include "server/access_log.h"


#include "base/text.h"

namespace x402 {
namespace {

std::string_view HttpVersion(unsigned version) { return version == 10 ? "HTTP/1.0" : "HTTP/1.1"; }

// "0.210": milliseconds with three decimals, without snprintf (this runs once per request).
void AppendDuration(std::string* out, int64_t duration_us) {
  if (duration_us < 0) duration_us = 0;
  *out += std::to_string(duration_us / 1000);
  const int64_t fraction = duration_us % 1000;
  out->push_back('.');
  out->push_back(static_cast<char>('0' + fraction / 100));
  out->push_back(static_cast<char>('0' + fraction / 10 % 10));
  out->push_back(static_cast<char>('0' + fraction % 10));
}

void AppendQuoted(std::string* out, std::string_view key, std::string_view value) {
  *out += ",\"";
  *out += key;
  *out += "\":\"";
  *out += JsonEscape(value);
  *out += '"';
}

}  // namespace

std::string AccessLogText(const RequestRecord& r) {
  const RequestOutcome& o = r.outcome;
  std::string line;
  line.reserve(128 + r.path.size() + o.payer.size());
  line += "access ";
  line += r.method;
  line += ' ';
  line += r.path;
  if (!r.query.empty()) {
    line += '?';
    line += r.query;
  }
  line += ' ';
  line += std::to_string(r.status);
  line += ' ';
  line += HttpVersion(r.http_version);
  if (o.x402_version != 0) {
    line += " x402v";
    line += std::to_string(o.x402_version);
  }
  line += ' ';
  line += ToString(o.verdict);
  if (!o.reason.empty()) {
    line += " (";
    line += o.reason;
    line += ')';
  }
  if (!o.payer.empty()) {
    line += " payer=";
    line += o.payer;
  }
  if (!o.amount.empty()) {
    line += " amount=";
    line += o.amount;
  }
  // The option a payment named (an unpaid request's offer has them all, in its history record).
  if (o.x402_version != 0 && !o.network.empty()) {
    line += ' ';
    line += o.asset_symbol;
    line += " network=";
    line += o.network;
  }
  if (!o.transaction.empty()) {
    line += " tx=";
    line += o.transaction;
  }
  if (!o.note.empty()) {
    line += " (";
    line += o.note;
    line += ')';
  }
  line += ' ';
  AppendDuration(&line, r.duration_us);
  line += "ms";
  return line;
}

std::string AccessLogJsonFields(const RequestRecord& r) {
  const RequestOutcome& o = r.outcome;
  std::string out = "\"event\":\"access\"";
  AppendQuoted(&out, "method", r.method);
  AppendQuoted(&out, "path", r.path);
  AppendQuoted(&out, "query", r.query);
  out += ",\"status\":" + std::to_string(r.status);
  AppendQuoted(&out, "http", HttpVersion(r.http_version));
  out += ",\"x402_version\":" + std::to_string(o.x402_version);
  AppendQuoted(&out, "verdict", ToString(o.verdict));
  AppendQuoted(&out, "reason", o.reason);
  AppendQuoted(&out, "payer", o.payer);
  AppendQuoted(&out, "amount", o.amount);
  if (!o.network.empty()) {
    AppendQuoted(&out, "scheme", o.scheme);
    AppendQuoted(&out, "network", o.network);
    AppendQuoted(&out, "asset", o.asset_symbol);
    out += ",\"decimals\":" + std::to_string(o.asset_decimals);
  }
  if (!o.transaction.empty()) AppendQuoted(&out, "transaction", o.transaction);
  if (!o.note.empty()) AppendQuoted(&out, "note", o.note);
  out += ",\"duration_ms\":";
  AppendDuration(&out, r.duration_us);
  return out;
}

void WriteAccessLog(Logger& logger, const RequestRecord& record) {
  if (!logger.Enabled(LogLevel::kInfo)) return;
  if (logger.format() == LogFormat::kJson) {
    logger.Log(LogLevel::kInfo,
               "access " + record.method + " " + record.path + " " + std::to_string(record.status),
               AccessLogJsonFields(record));
  } else {
    logger.Log(LogLevel::kInfo, AccessLogText(record));
  }
}

}  // namespace x402
