/* portway tests — helpers for configuration tests (header-only: the
 * harness keeps its failure flag per test file). */
#ifndef PORTWAY_TEST_CONFIG_CHECK_H
#define PORTWAY_TEST_CONFIG_CHECK_H

#include <stdint.h>

#include "core/config_internal.h"
#include "core/dest/file.h"
#include "core/dest/ipp.h"
#include "core/dest/lpd.h"
#include "core/dest/pipe.h"
#include "core/dest/socket.h"
#include "core/dest_scheme.h"
#include "portway/config.h"
#include "portway/error.h"
#include "test.h"

static char errbuf[256];

static inline pw_port_config *parse_ok(const char *text) {
  pw_port_config *cfg = NULL;
  int rc = pw_port_config_parse(text, &cfg, errbuf, sizeof errbuf);
  if (rc != PW_OK)
    fprintf(stderr, "  parse(\"%s\") = %d: %s\n", text, rc, errbuf);
  CHECK_OR_RETURN(rc == PW_OK && cfg != NULL, NULL);
  return cfg;
}

static inline int parse_fails(const char *text, int want) {
  pw_port_config *cfg = (pw_port_config *)(uintptr_t)1;
  errbuf[0] = '\0';
  int rc = pw_port_config_parse(text, &cfg, errbuf, sizeof errbuf);
  if (rc != want)
    fprintf(stderr, "  parse(\"%s\") = %d, wanted %d\n", text, rc, want);
  CHECK_OR_RETURN(rc == want, 0);
  CHECK_OR_RETURN(cfg == NULL, 0);
  CHECK_OR_RETURN(errbuf[0] != '\0', 0); /* a reason is always given */
  CHECK_OR_RETURN(strchr(errbuf, '\n') == NULL, 0);
  return 1;
}

/* dir of a file port, or NULL (freed; result in a static buffer). */
static inline const char *file_dir(const char *uri) {
  static char dir[PW_MAX_PATH + 1];
  char text[PW_MAX_URI + 16];
  snprintf(text, sizeof text, "uri=%s\n", uri);
  pw_port_config *cfg = parse_ok(text);
  CHECK_OR_RETURN(cfg != NULL, NULL);
  const pw_file_options *file = pw_file_opts(cfg);
  CHECK_OR_RETURN(cfg->kind == PW_DEST_FILE && file != NULL, NULL);
  snprintf(dir, sizeof dir, "%s", file->dir);
  pw_port_config_free(cfg);
  return dir;
}

static inline int uri_rejected(const char *uri) {
  char text[PW_MAX_URI + 16];
  snprintf(text, sizeof text, "uri=%s", uri);
  return parse_fails(text, PW_EBADCONFIG);
}

/* parse -> format -> parse gives the same config, and formatting is
 * stable. Returns the formatted text (caller frees) or NULL. */
static inline char *round_trip(const char *text) {
  pw_port_config *a = parse_ok(text);
  CHECK_OR_RETURN(a != NULL, NULL);
  char *t1 = NULL, *t2 = NULL;
  CHECK_OR_RETURN(pw_port_config_format(a, &t1) == PW_OK, NULL);
  pw_port_config *b = parse_ok(t1);
  CHECK_OR_RETURN(b != NULL, NULL);
  CHECK_OR_RETURN(pw_port_config_equal(a, b), NULL);
  CHECK_OR_RETURN(pw_port_config_format(b, &t2) == PW_OK, NULL);
  CHECK_OR_RETURN(strcmp(t1, t2) == 0, NULL);
  pw_port_config_free(a);
  pw_port_config_free(b);
  free(t2);
  return t1;
}

#endif
