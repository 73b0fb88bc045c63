/* lpd_sink — the fast LPD server of the LPD benchmark (not a test): an
 * RFC 1179 "receive a printer job" that acknowledges every subcommand and
 * throws the files away, so neither a disk nor a spooler is measured.
 * Listens on 127.0.0.1 only.
 *
 *   lpd_sink PORTFILE LOGFILE
 *
 * The port (picked by the kernel) is written to PORTFILE once listening.
 * Per job it reads "\2queue\n" (ack 0), then subcommands "\2N name\n"
 * (control file) and "\3N name\n" (data file), each acked, N bytes read
 * into a 256 KB buffer, the trailing NUL checked and acked; N = 0 on a data
 * file is LPRng's "until the connection closes" (portway's streaming mode):
 * read to the end of stream, then ack. At the end of each job it appends
 * "<data file bytes>\n" to LOGFILE. A connection that sends nothing (a
 * liveness check) is closed and not logged. Serves one connection at a
 * time; runs until killed (bench/lpd.sh stops it by PID), at most 30
 * minutes. */
#define _DEFAULT_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static char buf[262144];

/* One line up to '\n' (not stored), at most cap-1 bytes; -1 on EOF/error,
 * 0 if the connection closed before the first byte. */
static int read_line(int c, char *line, size_t cap) {
  size_t n = 0;
  for (;;) {
    char ch;
    ssize_t r = recv(c, &ch, 1, 0);
    if (r <= 0)
      return n == 0 && r == 0 ? 0 : -1;
    if (ch == '\n')
      break;
    if (n + 1 >= cap)
      return -1;
    line[n++] = ch;
  }
  line[n] = '\0';
  return 1;
}

static int ack(int c) {
  return send(c, "", 1, MSG_NOSIGNAL) == 1 ? 0 : -1;
}

/* Read and discard exactly n bytes. */
static int skip(int c, unsigned long long n) {
  while (n > 0) {
    size_t want = n < sizeof buf ? (size_t)n : sizeof buf;
    ssize_t r = recv(c, buf, want, 0);
    if (r <= 0)
      return -1;
    n -= (unsigned long long)r;
  }
  return 0;
}

/* One job; returns the data file's bytes, or -1 for nothing to log. */
static long long serve(int c) {
  char line[1100];
  if (read_line(c, line, sizeof line) != 1 || line[0] != '\2' || ack(c) != 0)
    return -1;
  long long data = 0;
  int any = 0;
  for (;;) {
    int r = read_line(c, line, sizeof line);
    if (r == 0)
      break; /* the client closed after its last file */
    if (r < 0 || (line[0] != '\2' && line[0] != '\3'))
      return -1;
    char *end;
    unsigned long long n = strtoull(line + 1, &end, 10);
    if (end == line + 1 || *end != ' ' || ack(c) != 0)
      return -1;
    if (line[0] == '\3' && n == 0) { /* streaming: to the end of stream */
      unsigned long long total = 0;
      ssize_t got;
      while ((got = recv(c, buf, sizeof buf, 0)) > 0)
        total += (unsigned long long)got;
      if (got < 0)
        return -1;
      (void)ack(c);
      return (long long)total;
    }
    if (skip(c, n) != 0)
      return -1;
    char nul;
    if (recv(c, &nul, 1, MSG_WAITALL) != 1 || nul != '\0' || ack(c) != 0)
      return -1;
    if (line[0] == '\3')
      data += (long long)n;
    any = 1;
  }
  return any ? data : -1;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: lpd_sink PORTFILE LOGFILE\n");
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
    perror("lpd_sink");
    return 1;
  }
  FILE *pf = fopen(argv[1], "w");
  if (!pf)
    return 1;
  fprintf(pf, "%d\n", ntohs(a.sin_port));
  fclose(pf);
  for (;;) {
    int c = accept(srv, NULL, NULL);
    if (c < 0)
      continue;
    /* A stalled client cannot hold the sink for ever. */
    struct timeval tv = {60, 0};
    setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    long long n = serve(c);
    close(c);
    if (n < 0)
      continue;
    FILE *lf = fopen(argv[2], "a");
    if (lf) {
      fprintf(lf, "%lld\n", n);
      fclose(lf);
    }
  }
}
