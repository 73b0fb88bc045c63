/* portway tests — what the destination tests share (jobfix.h). */
#define _DEFAULT_SOURCE
#include "jobfix.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "memstore.h"
#include "portway/error.h"

unsigned char jobfix_byte(uint64_t i) {
  return (unsigned char)(i * 131u + 7u);
}

int jobfix_write_pattern(pw_handle h, uint64_t total, size_t chunk) {
  unsigned char buf[4096];
  if (chunk == 0 || chunk > sizeof buf)
    chunk = sizeof buf;
  for (uint64_t done = 0; done < total;) {
    size_t n = total - done < chunk ? (size_t)(total - done) : chunk, w = 0;
    for (size_t i = 0; i < n; i++)
      buf[i] = jobfix_byte(done + i);
    int rc = pw_port_write(h, buf, n, &w);
    if (rc != PW_OK)
      return rc;
    done += n;
  }
  return PW_OK;
}

int jobfix_log_has(fixture *fx, const char *needle) {
  char *log = NULL;
  long n = test_read_file(pw_monitor_log_path(fx->mon), &log);
  if (n >= 0)
    log[n] = '\0'; /* test_read_file allocates one byte more */
  int found = n > 0 && strstr(log, needle) != NULL;
  free(log);
  return found;
}

int jobfix_dead_port(void) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a;
  socklen_t sl = sizeof a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int port = -1;
  if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sl) == 0 &&
      getsockname(fd, (struct sockaddr *)&a, &sl) == 0)
    port = ntohs(a.sin_port);
  if (fd >= 0)
    close(fd);
  return port;
}

void jobfix_reset_peak_rss(void) {
  FILE *f = fopen("/proc/self/clear_refs", "w");
  if (f) {
    fputs("5", f);
    fclose(f);
  }
}

unsigned long jobfix_peak_rss_kib(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  unsigned long kib = 0;
  while (f && fgets(line, sizeof line, f))
    if (sscanf(line, "VmHWM: %lu kB", &kib) == 1)
      break;
  if (f)
    fclose(f);
  return kib;
}
