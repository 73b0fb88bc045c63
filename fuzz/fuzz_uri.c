/* libFuzzer target: device URIs and port configuration text.
 * Invariants checked (abort() on violation):
 *  - pw_uri_parse leaves a zeroed struct on error;
 *  - a config that parses formats to text that parses to an equal config,
 *    and formatting that again gives the same text;
 *  - a file port's dir is absolute, '/'-separated, free of control
 *    characters and of "." / ".." segments, and within PW_MAX_PATH;
 *  - the options belong to the config's kind: its accessor answers, the
 *    other types' ones do not. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/config_internal.h"
#include "core/dest/file.h"
#include "core/dest/ipp.h"
#include "core/dest/lpd.h"
#include "core/dest/pipe.h"
#include "core/dest/socket.h"
#include "portway/config.h"
#include "portway/error.h"
#include "portway/pattern.h"
#include "portway/utf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond) {
  if (!cond)
    abort();
}

static void check_dir(const char *dir) {
  size_t len = strlen(dir);
  check(len > 0 && len <= PW_MAX_PATH);
  check(pw_utf8_valid(dir));
  check(dir[0] == '/' || (dir[1] == ':' && dir[2] == '/'));
  check(strchr(dir, '\\') == NULL);
  for (const char *p = dir; *p; p++)
    check((unsigned char)*p >= 0x20 && *p != 0x7f);
  /* every segment: not empty (except the root), not all dots */
  const char *seg = dir[0] == '/' ? dir : dir + 2;
  while (*seg == '/')
    seg++;
  while (*seg) {
    size_t n = strcspn(seg, "/");
    check(n > 0);
    size_t dots = 0;
    while (dots < n && (seg[dots] == '.' || seg[dots] == ' '))
      dots++;
    check(dots < n);
    seg += n;
    if (*seg == '/') {
      seg++;
      check(*seg != '\0' && *seg != '/'); /* no trailing or double slash */
    }
  }
}

static void check_host_port(const char *host, int port) {
  check(host != NULL && host[0] != '\0');
  check(port >= 1 && port <= 65535);
}

static void check_config(const char *text) {
  pw_port_config *cfg = (pw_port_config *)(uintptr_t)1;
  char err[256];
  int rc = pw_port_config_parse(text, &cfg, err, sizeof err);
  if (rc != PW_OK) {
    check(cfg == NULL);
    check(rc == PW_EBADCONFIG || rc == PW_ENAMETOOLONG || rc == PW_ENOMEM);
    check(err[0] != '\0' && strchr(err, '\n') == NULL);
    return;
  }
  check(cfg != NULL && cfg->uri != NULL && pw_utf8_valid(cfg->uri));
  check(cfg->timeout_ms >= 1000 && cfg->timeout_ms <= 3600000);
  check(cfg->connect_timeout_ms >= 1000 && cfg->connect_timeout_ms <= 3600000);
  const pw_file_options *file = pw_file_opts(cfg);
  const pw_pipe_options *pipe = pw_pipe_opts(cfg);
  const pw_socket_options *sock = pw_socket_opts(cfg);
  const pw_lpd_options *lpd = pw_lpd_opts(cfg);
  const pw_ipp_options *ipp = pw_ipp_opts(cfg);
  check((file != NULL) + (pipe != NULL) + (sock != NULL) + (lpd != NULL) +
            (ipp != NULL) ==
        1);
  if (file) {
    check(file->dir != NULL && file->pattern != NULL);
    check_dir(file->dir);
    check(pw_pattern_validate(file->pattern, NULL, 0) == PW_OK);
  } else if (pipe) {
    check(pipe->command != NULL);
    check_dir(pipe->command);
    check(pipe->command[0] != '/' || pipe->command[1] != '/'); /* no UNC */
    check(pipe->args == NULL || pipe->args[0] != '\0');
  } else if (sock) {
    check_host_port(sock->host, sock->port);
  } else if (lpd) {
    check_host_port(lpd->host, lpd->port);
    check(lpd->queue != NULL && lpd->queue[0] != '\0');
  } else if (ipp) {
    check_host_port(ipp->host, ipp->port);
    check(ipp->resource != NULL && ipp->resource[0] == '/' &&
          ipp->resource[1] != '\0');
    /* the options the destination relies on */
    check(ipp->spool == PW_IPP_SPOOL_AUTO || ipp->spool == PW_IPP_SPOOL_TRUE ||
          ipp->spool == PW_IPP_SPOOL_FALSE);
    check(ipp->retries >= 0 && ipp->retries <= PW_IPP_MAX_RETRIES);
    check(ipp->busywait >= 0 && ipp->busywait <= PW_IPP_MAX_BUSYWAIT);
    check(ipp->tls || (!ipp->has_pin && ipp->verify));
    const char *f = pw_ipp_format(ipp);
    check(strlen(f) <= PW_IPP_FORMAT_MAX && strchr(f, '/') != NULL &&
          !strpbrk(f, " \t\r\n\"\\"));
  }

  pw_uri u;
  check(pw_uri_parse(cfg->uri, &u) == PW_OK);
  check(u.nparams == 0);
  pw_uri_free(&u);

  char *t1 = NULL, *t2 = NULL;
  check(pw_port_config_format(cfg, &t1) == PW_OK);
  pw_port_config *again = NULL;
  rc = pw_port_config_parse(t1, &again, err, sizeof err);
  check(rc == PW_OK);
  check(pw_port_config_equal(cfg, again));
  check(pw_port_config_format(again, &t2) == PW_OK);
  check(strcmp(t1, t2) == 0);

  pw_port_config *copy = pw_port_config_clone(cfg);
  check(copy != NULL && pw_port_config_equal(cfg, copy));

  pw_port_config_free(copy);
  pw_port_config_free(again);
  pw_port_config_free(cfg);
  free(t1);
  free(t2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > PW_MAX_CONFIG_TEXT + 64)
    return 0;
  char *text = malloc(size + 5);
  if (!text)
    return 0;
  memcpy(text, "uri=", 4);
  memcpy(text + 4, data, size);
  text[size + 4] = '\0';
  const char *raw = text + 4; /* the input alone, NUL-terminated */

  pw_uri u;
  memset(&u, 0x5a, sizeof u);
  if (pw_uri_parse(raw, &u) == PW_OK) {
    check(u.scheme != NULL && u.scheme[0] != '\0' && u.path != NULL);
    check(u.port >= -1 && u.port <= 65535);
    check(pw_utf8_valid(u.path));
    for (size_t i = 0; i < u.nparams; i++)
      check(u.params[i].key[0] != '\0' && pw_utf8_valid(u.params[i].value));
  } else {
    check(u.scheme == NULL && u.host == NULL && u.path == NULL &&
          u.userinfo == NULL && u.params == NULL && u.nparams == 0);
  }
  pw_uri_free(&u);

  check_config(raw);  /* input as a whole configuration text */
  check_config(text); /* input as the value of uri= */
  free(text);
  return 0;
}
