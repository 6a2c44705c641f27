#include "service/unit_file.h"

namespace x402 {

std::string RenderSystemdUnit(const std::string& binary) {
  std::string u;
  u += "# x402-dev mock server, as a systemd user service.\n";
  u += "# Managed by `x402-dev mock start|stop|install|uninstall`; edits are overwritten.\n";
  u += "# Per-start options live in ~/.x402dev/launch-spec.json, so this file never changes\n";
  u += "# between starts.\n";
  u += "[Unit]\n";
  u += "Description=x402-dev mock x402 payment server\n";
  u += "Documentation=man:x402-dev(1) https://github.com/x402-dev/x402-dev/blob/main/docs/cli.md\n";
  u += "# Give up after 5 failed starts within a minute instead of looping forever.\n";
  u += "StartLimitIntervalSec=60\n";
  u += "StartLimitBurst=5\n";
  u += "\n[Service]\n";
  u += "# The server sends READY=1 only after bind+listen, so a finished start job means serving.\n";
  u += "Type=notify\n";
  u += "NotifyAccess=main\n";
  u += "ExecStart=" + binary + " mock --launch-spec %h/.x402dev/launch-spec.json\n";
  u += "ExecReload=/bin/kill -HUP $MAINPID\n";
  u += "Environment=X402_DEV_LAUNCHED_BY=systemd\n";
  u += "WorkingDirectory=%h\n";
  u += "# Restarted after a crash, never after a clean stop.\n";
  u += "Restart=on-failure\n";
  u += "RestartSec=1\n";
  u += "# 2 = port in use, 3 = bad config or already running: a restart cannot fix either.\n";
  u += "RestartPreventExitStatus=2 3\n";
  u += "TimeoutStartSec=30\n";
  u += "# The server drains requests in flight for at most 9 s after SIGTERM.\n";
  u += "TimeoutStopSec=15\n";
  u += "# Hardening that works in a user manager without user namespaces (ProtectSystem=,\n";
  u += "# ProtectHome= and PrivateTmp= would need them there, and fail where they are off):\n";
  u += "# no privilege gain through exec (also what lets the seccomp filters below load)…\n";
  u += "NoNewPrivileges=yes\n";
  u += "# …no set-uid/set-gid files, no realtime scheduling, no personality changes…\n";
  u += "RestrictSUIDSGID=yes\n";
  u += "RestrictRealtime=yes\n";
  u += "LockPersonality=yes\n";
  u += "# …no writable-and-executable memory (no JIT here), native system calls only…\n";
  u += "MemoryDenyWriteExecute=yes\n";
  u += "SystemCallArchitectures=native\n";
  u += "# …sockets: TCP/IP for HTTP, unix for sd_notify; nothing else.\n";
  u += "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6\n";
  u += "# Files it creates (PID, state, log) are private to the user.\n";
  u += "UMask=0077\n";
  u += "\n[Install]\n";
  u += "WantedBy=default.target\n";
  return u;
}

}  // namespace x402
