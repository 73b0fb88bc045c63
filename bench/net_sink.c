/* net_sink — the fast RAW printer of the network benchmark (not a test):
 * listens on 127.0.0.1, reads every connection to its end into a 256 KB
 * buffer it throws away, closes it, and appends "<bytes>\n" to LOGFILE.
 *
 *   net_sink PORTFILE LOGFILE
 *
 * The port (picked by the kernel) is written to PORTFILE once listening.
 * Runs until killed (bench/raw.sh stops it by PID); exits by itself after
 * 30 minutes. Loopback only. */
#define _DEFAULT_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: net_sink PORTFILE LOGFILE\n");
    return 2;
  }
  alarm(1800);
  int srv = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(srv, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (bind(srv, (struct sockaddr *)&a, sizeof a) != 0 || listen(srv, 8) != 0 ||
      getsockname(srv, (struct sockaddr *)&a, &len) != 0) {
    perror("net_sink");
    return 1;
  }
  FILE *pf = fopen(argv[1], "w");
  if (!pf)
    return 1;
  fprintf(pf, "%d\n", ntohs(a.sin_port));
  fclose(pf);
  static char buf[262144];
  for (;;) {
    int c = accept(srv, NULL, NULL);
    if (c < 0)
      continue;
    unsigned long long total = 0;
    for (;;) {
      ssize_t n = recv(c, buf, sizeof buf, 0);
      if (n <= 0)
        break;
      total += (unsigned long long)n;
    }
    close(c);
    FILE *lf = fopen(argv[2], "a");
    if (lf) {
      fprintf(lf, "%llu\n", total);
      fclose(lf);
    }
  }
}
