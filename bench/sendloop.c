/* sendloop — the Winsock baseline of the network benchmark (not a test): a
 * plain send() loop in 4 KB pieces, as a program under Wine would write to
 * a RAW printer, then half-close and read to the printer's close (what
 * portway's waiteof does).
 *
 *   sendloop.exe PORT BYTES
 *
 * Connects to 127.0.0.1:PORT. Prints "<bytes> bytes in <s> s: <MB/s> MB/s". */
#include <winsock2.h>
#include <ws2tcpip.h>

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: sendloop PORT BYTES\n");
    return 2;
  }
  WSADATA wd;
  if (WSAStartup(MAKEWORD(2, 2), &wd) != 0)
    return 1;
  unsigned long long bytes = strtoull(argv[2], NULL, 10);
  SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_port = htons((unsigned short)atoi(argv[1]));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  static char buf[4096];
  for (size_t i = 0; i < sizeof buf; i++)
    buf[i] = (char)(i * 131u + 7u);
  LARGE_INTEGER f, t0, t1;
  QueryPerformanceFrequency(&f);
  QueryPerformanceCounter(&t0);
  if (connect(s, (struct sockaddr *)&a, sizeof a) != 0) {
    fprintf(stderr, "sendloop: connect failed: %d\n", WSAGetLastError());
    return 1;
  }
  for (unsigned long long done = 0; done < bytes;) {
    int n = bytes - done < sizeof buf ? (int)(bytes - done) : (int)sizeof buf;
    int sent = send(s, buf, n, 0);
    if (sent <= 0) {
      fprintf(stderr, "sendloop: send failed: %d\n", WSAGetLastError());
      return 1;
    }
    done += (unsigned long long)sent;
  }
  shutdown(s, SD_SEND);
  while (recv(s, buf, sizeof buf, 0) > 0) {
  }
  QueryPerformanceCounter(&t1);
  closesocket(s);
  double t = (double)(t1.QuadPart - t0.QuadPart) / (double)f.QuadPart;
  printf("%llu bytes in %.3f s: %.1f MB/s\n", bytes, t,
         (double)bytes / 1048576.0 / t);
  WSACleanup();
  return 0;
}
