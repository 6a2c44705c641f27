/* The "plain floor" of the lifecycle benchmark: the least a background server can be. It
 * listens, writes its PID file, answers every connection with a fixed 402 and exits on
 * SIGTERM. No readiness protocol, no lock: the benchmark polls connect() for it. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  signal(SIGPIPE, SIG_IGN);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in addr = {0};
  addr.sin_family = AF_INET;
  addr.sin_port = htons((unsigned short)atoi(argv[1]));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, (struct sockaddr*)&addr, sizeof addr) != 0 || listen(fd, 128) != 0) return 2;
  FILE* pid = fopen(argv[2], "w");
  if (pid) { fprintf(pid, "%d\n", (int)getpid()); fclose(pid); }
  const char reply[] = "HTTP/1.1 402 Payment Required\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
  for (;;) {
    int c = accept(fd, NULL, NULL);
    if (c < 0) continue;
    char buf[4096];
    (void)!read(c, buf, sizeof buf);
    (void)!write(c, reply, sizeof reply - 1);
    close(c);
  }
}
