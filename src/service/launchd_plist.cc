#include "service/launchd_plist.h"

#include <vector>

namespace x402 {
namespace {

std::string Key(std::string_view key) { return "\t<key>" + XmlEscape(key) + "</key>\n"; }
std::string String(std::string_view value, const char* indent = "\t") {
  return std::string(indent) + "<string>" + XmlEscape(value) + "</string>\n";
}

}  // namespace

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string RenderLaunchAgentPlist(const LaunchAgentSpec& spec) {
  const StatePaths paths = spec.instance.Paths(spec.home);
  const std::string& state_dir = paths.dir;
  std::string p;
  p += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  p += "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
       "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n";
  p += "<!-- x402-dev mock server, as a launchd agent. Managed by `x402-dev mock start|stop|install`;\n"
       "     per-start options live in ~/.x402dev/launch-spec.json, so this file never changes\n"
       "     between starts. -->\n";
  p += "<plist version=\"1.0\">\n<dict>\n";
  p += Key("Label") + String(spec.instance.LaunchdLabel());
  p += Key("ProgramArguments");
  p += "\t<array>\n";
  std::vector<std::string> args = {spec.binary, "mock"};
  for (const std::string& arg : spec.instance.ServerArgs()) args.push_back(arg);
  args.insert(args.end(), {"--launch-spec", paths.launch_spec});
  for (const std::string& arg : args) p += String(arg, "\t\t");
  p += "\t</array>\n";
  p += Key("EnvironmentVariables");
  p += "\t<dict>\n";
  p += "\t\t<key>X402_DEV_LAUNCHED_BY</key>\n" + String("launchd", "\t\t");
  p += "\t\t<key>HOME</key>\n" + String(spec.home, "\t\t");
  p += "\t</dict>\n";
  p += Key("WorkingDirectory") + String(spec.home);
  p += Key("RunAtLoad") + (spec.run_at_load ? "\t<true/>\n" : "\t<false/>\n");
  // Restart after a crash or a failed exit, never after a clean stop (exit 0 on SIGTERM).
  p += Key("KeepAlive");
  p += "\t<dict>\n\t\t<key>SuccessfulExit</key>\n\t\t<false/>\n\t</dict>\n";
  // At most one respawn every 10 s, so a server that cannot start does not spin.
  p += Key("ThrottleInterval") + "\t<integer>10</integer>\n";
  // SIGTERM, then SIGKILL after this many seconds; the server drains for at most 9.
  p += Key("ExitTimeOut") + "\t<integer>15</integer>\n";
  p += Key("ProcessType") + String("Background");
  // The directory exists before launchd opens these (else the job fails with EX_CONFIG).
  p += Key("StandardOutPath") + String(state_dir + "/logs/launchd.out.log");
  p += Key("StandardErrorPath") + String(state_dir + "/logs/launchd.err.log");
  p += "</dict>\n</plist>\n";
  return p;
}

}  // namespace x402
