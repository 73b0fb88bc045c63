/* portway — the tcpmon Xcv structures over raw little-endian bytes
 * (xcv_tcpmon.h, docs/xcv.md). The input is hostile: every read is inside
 * len, checked before it happens, and a string field is read only up to its
 * own NUL, which must lie inside the field. */
#include "core/xcv_tcpmon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config_internal.h"
#include "core/dest/lpd.h"
#include "core/dest/socket.h"
#include "core/strutil.h"
#include "core/textbuf.h"
#include "portway/error.h"
#include "portway/utf.h"

/* Little-endian DWORD at off; the caller checked off + 4 <= len. */
static uint32_t rd32(const uint8_t *p, size_t off) {
  return (uint32_t)p[off] | ((uint32_t)p[off + 1] << 8) |
         ((uint32_t)p[off + 2] << 16) | ((uint32_t)p[off + 3] << 24);
}

static void wr32(uint8_t *p, size_t off, uint32_t v) {
  p[off] = (uint8_t)(v & 0xFFu);
  p[off + 1] = (uint8_t)((v >> 8) & 0xFFu);
  p[off + 2] = (uint8_t)((v >> 16) & 0xFFu);
  p[off + 3] = (uint8_t)((v >> 24) & 0xFFu);
}

/* A fixed-size WCHAR[units] field: its NUL must lie inside the field. */
static int field_get(const uint8_t *base, size_t off, size_t units,
                     char **out) {
  const uint8_t *f = base + off;
  for (size_t i = 0; i < units; i++)
    if (f[2 * i] == 0 && f[2 * i + 1] == 0)
      return pw_utf16le_bytes_to_utf8(f, 2 * (i + 1), out, NULL) == PW_OK
                 ? PW_OK
                 : PW_EBADDATA;
  return PW_EBADDATA;
}

static int field_put(uint8_t *base, size_t off, size_t units, const char *s) {
  size_t need = 0;
  int rc = pw_utf8_to_utf16le_bytes(s ? s : "", base + off, 2 * units, &need);
  return rc == PW_ENOBUFS ? PW_ENOTSUP : rc;
}

/* The header checks every structure shares (order documented in the .h). */
static int check_header(const uint8_t *in, size_t len, size_t size,
                        size_t version_off, int has_cb_size, size_t cb_off) {
  if (!in || len == 0)
    return PW_EBADDATA;
  if (len < version_off + 4)
    return PW_EINVAL;
  if (rd32(in, version_off) != 1u)
    return PW_ELEVEL;
  if (len != size || (has_cb_size && rd32(in, cb_off) != size))
    return PW_EINVAL;
  return PW_OK;
}

void pw_tcpmon_port_free(pw_tcpmon_port *p) {
  if (!p)
    return;
  free(p->name);
  free(p->host_address);
  free(p->ip_address);
  free(p->queue);
  free(p->snmp_community);
  memset(p, 0, sizeof *p);
}

int pw_tcpmon_is_port_data(const uint8_t *in, size_t len) {
  /* 144 bytes: dwVersion and cbSize are inside. A version of 1 or 2
   * (PORT_DATA_2, which must get tcpmon's ERROR_INVALID_LEVEL) or a size
   * of 964 or 1068 (sizeof PORT_DATA_2) puts a NUL UTF-16 unit at unit 65
   * or 69 with more units after it: as the string form that is a name of
   * 64+ units (invalid) or a third string (invalid). */
  if (!in || len < PW_PD1_RESERVED_DWORD + 4)
    return 0;
  uint32_t version = rd32(in, PW_PD1_VERSION);
  uint32_t size = rd32(in, PW_PD1_CB_SIZE);
  return version == 1u || version == 2u || size == PW_PD1_SIZE ||
         size == PW_PD2_SIZE;
}

int pw_tcpmon_is_delete_port_data(const uint8_t *in, size_t len) {
  return in && len >= PW_DPD1_VERSION + 4;
}

int pw_tcpmon_port_decode(const uint8_t *in, size_t len, pw_tcpmon_port *out) {
  memset(out, 0, sizeof *out);
  int rc =
      check_header(in, len, PW_PD1_SIZE, PW_PD1_VERSION, 1, PW_PD1_CB_SIZE);
  if (rc != PW_OK)
    return rc;
  out->protocol = rd32(in, PW_PD1_PROTOCOL);
  out->double_spool = rd32(in, PW_PD1_DOUBLE_SPOOL);
  out->port_number = rd32(in, PW_PD1_PORT_NUMBER);
  out->snmp_enabled = rd32(in, PW_PD1_SNMP_ENABLED);
  out->snmp_dev_index = rd32(in, PW_PD1_SNMP_DEV_INDEX);
  if ((rc = field_get(in, PW_PD1_PORT_NAME, PW_PD1_PORT_NAME_UNITS,
                      &out->name)) != PW_OK ||
      (rc = field_get(in, PW_PD1_HOST_ADDRESS, PW_PD1_HOST_ADDRESS_UNITS,
                      &out->host_address)) != PW_OK ||
      (rc = field_get(in, PW_PD1_SNMP_COMMUNITY, PW_PD1_SNMP_COMMUNITY_UNITS,
                      &out->snmp_community)) != PW_OK ||
      (rc = field_get(in, PW_PD1_QUEUE, PW_PD1_QUEUE_UNITS, &out->queue)) !=
          PW_OK ||
      (rc = field_get(in, PW_PD1_IP_ADDRESS, PW_PD1_IP_ADDRESS_UNITS,
                      &out->ip_address)) != PW_OK)
    pw_tcpmon_port_free(out);
  return rc;
}

int pw_tcpmon_port_config_text(const pw_tcpmon_port *p, char **text) {
  *text = NULL;
  const char *host =
      p->host_address && *p->host_address ? p->host_address : p->ip_address;
  if (!host || !*host || p->port_number > 65535u)
    return PW_EBADDATA;
  pw_textbuf b = {0};
  int rc;
  pw_textbuf_adds(&b, "uri=");
  if (p->protocol == PW_TCPMON_RAWTCP) {
    rc = pw_config_add_authority(
        &b, "socket", host,
        (int)(p->port_number ? p->port_number : PW_TCPMON_RAW_DEFAULT_PORT));
  } else if (p->protocol == PW_TCPMON_LPR && p->queue && *p->queue) {
    rc = pw_config_add_authority(
        &b, "lpd", host,
        (int)(p->port_number ? p->port_number : PW_TCPMON_LPR_DEFAULT_PORT));
    pw_textbuf_addc(&b, '/');
    pw_textbuf_add_uri_encoded(&b, p->queue);
    /* dwDoubleSpool is tcpmon's "LPR byte counting enabled": the lpd
     * option bytecount. Written out either way, so that ConfigPort's
     * merge with the port's old options cannot keep a stale value. */
    pw_textbuf_adds(&b,
                    p->double_spool ? "\nbytecount=true" : "\nbytecount=false");
  } else {
    rc = PW_EBADDATA; /* unknown protocol, or LPR without a queue */
  }
  if (rc != PW_OK) {
    pw_textbuf_free(&b);
    return rc == PW_EINVAL ? PW_EBADDATA : rc;
  }
  pw_textbuf_addc(&b, '\n');
  return pw_textbuf_take(&b, text);
}

int pw_tcpmon_delete_decode(const uint8_t *in, size_t len, char **name) {
  *name = NULL;
  int rc = check_header(in, len, PW_DPD1_SIZE, PW_DPD1_VERSION, 0, 0);
  if (rc != PW_OK)
    return rc;
  return field_get(in, PW_DPD1_PORT_NAME, PW_PD1_PORT_NAME_UNITS, name);
}

int pw_tcpmon_config_info_check(const uint8_t *in, size_t len) {
  return check_header(in, len, PW_CID1_SIZE, PW_CID1_VERSION, 0, 0);
}

/* Dotted-quad IPv4 literal (what fits sztIPAddress). */
static int is_ipv4(const char *s) {
  int parts = 0;
  while (*s) {
    unsigned v = 0;
    size_t digits = 0;
    for (; *s >= '0' && *s <= '9'; s++, digits++)
      v = v * 10u + (unsigned)(*s - '0');
    if (digits == 0 || digits > 3 || v > 255u)
      return 0;
    parts++;
    if (*s == '.' && parts < 4)
      s++;
    else if (*s)
      return 0;
  }
  return parts == 4;
}

int pw_tcpmon_port_from_config(const char *name, const pw_port_config *cfg,
                               pw_tcpmon_port *out) {
  memset(out, 0, sizeof *out);
  const char *host, *queue = "";
  int port;
  const pw_socket_options *so = pw_socket_opts(cfg);
  const pw_lpd_options *lo = pw_lpd_opts(cfg);
  if (so) {
    out->protocol = PW_TCPMON_RAWTCP;
    host = so->host;
    port = so->port;
  } else if (lo) {
    out->protocol = PW_TCPMON_LPR;
    host = lo->host;
    port = lo->port;
    queue = lo->queue;
    out->double_spool = lo->bytecount ? 1u : 0u;
  } else {
    return PW_ENOTSUP;
  }
  if (!host || port <= 0 || port > 65535)
    return PW_ENOTSUP;
  out->port_number = (uint32_t)port;
  if (!(out->name = pw_strdup(name)) ||
      !(out->host_address = pw_strdup(host)) ||
      !(out->ip_address = pw_strdup(is_ipv4(host) ? host : "")) ||
      !(out->queue = pw_strdup(queue)) ||
      !(out->snmp_community = pw_strdup(""))) {
    pw_tcpmon_port_free(out);
    return PW_ENOMEM;
  }
  /* A PORT_DATA_1 must be able to carry it whole. */
  uint8_t probe[PW_PD1_SIZE];
  int rc = pw_tcpmon_port_encode(out, probe);
  if (rc != PW_OK)
    pw_tcpmon_port_free(out);
  return rc;
}

int pw_tcpmon_port_encode(const pw_tcpmon_port *p, uint8_t *out) {
  memset(out, 0, PW_PD1_SIZE);
  wr32(out, PW_PD1_VERSION, 1u);
  wr32(out, PW_PD1_PROTOCOL, p->protocol);
  wr32(out, PW_PD1_CB_SIZE, PW_PD1_SIZE);
  wr32(out, PW_PD1_DOUBLE_SPOOL, p->double_spool);
  wr32(out, PW_PD1_PORT_NUMBER, p->port_number);
  wr32(out, PW_PD1_SNMP_ENABLED, p->snmp_enabled);
  wr32(out, PW_PD1_SNMP_DEV_INDEX, p->snmp_dev_index);
  int rc;
  if ((rc = field_put(out, PW_PD1_PORT_NAME, PW_PD1_PORT_NAME_UNITS,
                      p->name)) != PW_OK ||
      (rc = field_put(out, PW_PD1_HOST_ADDRESS, PW_PD1_HOST_ADDRESS_UNITS,
                      p->host_address)) != PW_OK ||
      (rc = field_put(out, PW_PD1_SNMP_COMMUNITY, PW_PD1_SNMP_COMMUNITY_UNITS,
                      p->snmp_community)) != PW_OK ||
      (rc = field_put(out, PW_PD1_QUEUE, PW_PD1_QUEUE_UNITS, p->queue)) !=
          PW_OK ||
      (rc = field_put(out, PW_PD1_IP_ADDRESS, PW_PD1_IP_ADDRESS_UNITS,
                      p->ip_address)) != PW_OK)
    memset(out, 0, PW_PD1_SIZE);
  return rc;
}
