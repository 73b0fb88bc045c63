/* portway tests — hand-built tcpmon Xcv structures for the core tests
 * (test_xcv_tcpmon.c, test_xcv_tcpmon_commands.c): offsets written out, not
 * taken from any header, so a wrong layout in the code cannot hide. */
#ifndef PORTWAY_TEST_TCPMONVEC_H
#define PORTWAY_TEST_TCPMONVEC_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xcv_tcpmon.h"
#include "fixture.h"
#include "test.h"

#define SETUP(fx)                                                              \
  fixture fx;                                                                  \
  ASSERT_EQ(fixture_setup(&fx, "xcvtcp"), 0)

/* ---- hand-built vectors: offsets written out, not taken from the .h ---- */

static inline void put32(uint8_t *b, size_t off, uint32_t v) {
  b[off] = (uint8_t)v;
  b[off + 1] = (uint8_t)(v >> 8);
  b[off + 2] = (uint8_t)(v >> 16);
  b[off + 3] = (uint8_t)(v >> 24);
}

static inline uint32_t get32(const uint8_t *b, size_t off) {
  return (uint32_t)b[off] | (uint32_t)b[off + 1] << 8 |
         (uint32_t)b[off + 2] << 16 | (uint32_t)b[off + 3] << 24;
}

/* ASCII as UTF-16LE at off, followed by a NUL unit. */
static inline void put16(uint8_t *b, size_t off, const char *s) {
  for (; *s; s++, off += 2) {
    b[off] = (uint8_t)*s;
    b[off + 1] = 0;
  }
  b[off] = b[off + 1] = 0;
}

/* Compare a UTF-16LE field with ASCII text (terminator included). */
static inline int field_is(const uint8_t *b, size_t off, const char *s) {
  for (;; s++, off += 2) {
    if (b[off] != (uint8_t)*s || b[off + 1] != 0)
      return 0;
    if (!*s)
      return 1;
  }
}

/* PORT_DATA_1: name@0[64], dwVersion@128, dwProtocol@132, cbSize@136,
 * dwReserved@140, sztHostAddress@144[49], sztSNMPCommunity@242[33],
 * dwDoubleSpool@308, sztQueue@312[33], sztIPAddress@378[16],
 * Reserved@410[540], dwPortNumber@952, dwSNMPEnabled@956,
 * dwSNMPDevIndex@960; 964 bytes. */
static inline void pd1(uint8_t b[964], const char *name, uint32_t proto,
                       const char *host, const char *ip, const char *queue,
                       uint32_t port) {
  memset(b, 0, 964);
  put16(b, 0, name);
  put32(b, 128, 1);
  put32(b, 132, proto);
  put32(b, 136, 964);
  put16(b, 144, host);
  put16(b, 242, "public");
  put16(b, 312, queue);
  put16(b, 378, ip);
  put32(b, 952, port);
  put32(b, 956, 1);
  put32(b, 960, 1);
}

/* DELETE_PORT_DATA_1: name@0[64], Reserved@128[98], dwVersion@228,
 * dwReserved@232; 236 bytes. */
static inline inline void dpd1(uint8_t b[236], const char *name) {
  memset(b, 0, 236);
  put16(b, 0, name);
  put32(b, 228, 1);
}

/* CONFIG_INFO_DATA_1: Reserved@0[128], dwVersion@128; 132 bytes. */
static inline void cid1(uint8_t b[132]) {
  memset(b, 0, 132);
  put32(b, 128, 1);
}

/* Exact-size heap copy, so ASan reports any read past len. */
static inline uint8_t *exact(const uint8_t *b, size_t len) {
  uint8_t *p = malloc(len ? len : 1);
  if (p && len)
    memcpy(p, b, len);
  return p;
}

static inline int decode_text(const uint8_t *b, size_t len, char **text) {
  pw_tcpmon_port p;
  uint8_t *in = exact(b, len);
  int rc = pw_tcpmon_port_decode(in, len, &p);
  free(in);
  if (rc != PW_OK)
    return rc;
  rc = pw_tcpmon_port_config_text(&p, text);
  pw_tcpmon_port_free(&p);
  return rc;
}

/* Fill a field's every unit with 'A': no NUL inside it. */
static inline void fill_field(uint8_t *b, size_t off, size_t units) {
  for (size_t i = 0; i < units; i++) {
    b[off + 2 * i] = 'A';
    b[off + 2 * i + 1] = 0;
  }
}

static inline size_t w16(uint8_t *buf, const char *a, const char *b) {
  size_t n = 0;
  put16(buf, 0, a);
  n = 2 * strlen(a) + 2;
  if (b) {
    put16(buf, n, b);
    n += 2 * strlen(b) + 2;
  }
  return n;
}

#endif
