/* portway — internal: the Standard TCP/IP Port monitor's (tcpmon) Xcv
 * structures, read and written as raw little-endian bytes.
 *
 * Debian 12's mingw-w64 has no tcpxcv.h, and the core must not depend on
 * Windows headers anyway: the documented layouts are described here as byte
 * offsets (monitor-api.md section 6; tests/monitor/test_xcv_tcpmon.c asserts
 * the same offsets on a C declaration compiled by mingw-w64). Every string
 * field is a fixed-size UTF-16LE array that must hold its NUL inside the
 * field. See docs/xcv.md, "tcpmon-compatible commands". */
#ifndef PORTWAY_XCV_TCPMON_H
#define PORTWAY_XCV_TCPMON_H

#include <stddef.h>
#include <stdint.h>

#include "portway/config.h"

/* ---- PORT_DATA_1 (964 bytes) ---- */
#define PW_PD1_SIZE 964u
/* PORT_DATA_2 (dwVersion 2, undocumented): only recognised, to be refused
 * with ERROR_INVALID_LEVEL as tcpmon does. */
#define PW_PD2_SIZE 1068u
#define PW_PD1_PORT_NAME 0u /* WCHAR[64] (MAX_PORTNAME_LEN) */
#define PW_PD1_PORT_NAME_UNITS 64u
#define PW_PD1_VERSION 128u  /* DWORD, 1 */
#define PW_PD1_PROTOCOL 132u /* DWORD, PW_TCPMON_RAWTCP / PW_TCPMON_LPR */
#define PW_PD1_CB_SIZE 136u  /* DWORD, 964 */
#define PW_PD1_RESERVED_DWORD 140u
#define PW_PD1_HOST_ADDRESS 144u /* WCHAR[49] (MAX_NETWORKNAME_LEN) */
#define PW_PD1_HOST_ADDRESS_UNITS 49u
#define PW_PD1_SNMP_COMMUNITY 242u /* WCHAR[33] */
#define PW_PD1_SNMP_COMMUNITY_UNITS 33u
#define PW_PD1_DOUBLE_SPOOL 308u /* DWORD: LPR byte counting */
#define PW_PD1_QUEUE 312u        /* WCHAR[33] (MAX_QUEUENAME_LEN) */
#define PW_PD1_QUEUE_UNITS 33u
#define PW_PD1_IP_ADDRESS 378u /* WCHAR[16] (MAX_IPADDR_STR_LEN) */
#define PW_PD1_IP_ADDRESS_UNITS 16u
#define PW_PD1_RESERVED 410u /* BYTE[540], then 2 bytes of padding */
#define PW_PD1_PORT_NUMBER 952u
#define PW_PD1_SNMP_ENABLED 956u
#define PW_PD1_SNMP_DEV_INDEX 960u

/* ---- DELETE_PORT_DATA_1 (236 bytes) ---- */
#define PW_DPD1_SIZE 236u
#define PW_DPD1_PORT_NAME 0u  /* WCHAR[64] */
#define PW_DPD1_RESERVED 128u /* BYTE[98], then 2 bytes of padding */
#define PW_DPD1_VERSION 228u
#define PW_DPD1_RESERVED_DWORD 232u

/* ---- CONFIG_INFO_DATA_1 (132 bytes) ---- */
#define PW_CID1_SIZE 132u
#define PW_CID1_RESERVED 0u /* BYTE[128] */
#define PW_CID1_VERSION 128u

#define PW_TCPMON_RAWTCP 1u /* PROTOCOL_RAWTCP_TYPE */
#define PW_TCPMON_LPR 2u    /* PROTOCOL_LPR_TYPE */
#define PW_TCPMON_RAW_DEFAULT_PORT 9100u
#define PW_TCPMON_LPR_DEFAULT_PORT 515u

/* The fields of a PORT_DATA_1 portway uses (UTF-8). */
typedef struct pw_tcpmon_port {
  char *name; /* sztPortName; "" allowed (ConfigPort: the handle's port) */
  uint32_t protocol;
  char *host_address; /* sztHostAddress */
  char *ip_address;   /* sztIPAddress */
  char *queue;        /* sztQueue */
  char *snmp_community;
  uint32_t port_number; /* as sent: 0 means the protocol's default */
  uint32_t double_spool;
  uint32_t snmp_enabled;
  uint32_t snmp_dev_index;
} pw_tcpmon_port;

void pw_tcpmon_port_free(pw_tcpmon_port *p);

/* AddPort: 1 if the input is to be read as a PORT_DATA_1 rather than
 * portway's string form (docs/xcv.md): at least 144 bytes and dwVersion
 * (offset 128) == 1 or cbSize (offset 136) == 964. No input the string form
 * could accept has that shape. */
int pw_tcpmon_is_port_data(const uint8_t *in, size_t len);
/* DeletePort: 1 if the input is to be read as a DELETE_PORT_DATA_1: at least
 * 232 bytes (a string-form DeletePort naming a valid port is at most 128). */
int pw_tcpmon_is_delete_port_data(const uint8_t *in, size_t len);

/* Decode a PORT_DATA_1. Checks, in this order: no input (NULL or 0 bytes)
 * PW_EBADDATA; too short to hold dwVersion PW_EINVAL; dwVersion != 1
 * PW_ELEVEL; len or cbSize != 964 PW_EINVAL; a string field without its NUL
 * or not valid UTF-16 PW_EBADDATA. On success *out owns its strings. */
int pw_tcpmon_port_decode(const uint8_t *in, size_t len, pw_tcpmon_port *out);

/* The portway configuration text for a decoded PORT_DATA_1:
 * "uri=socket://HOST:PORT\n" or "uri=lpd://HOST:PORT/QUEUE\nbytecount=B\n"
 * (B: true when dwDoubleSpool is not 0, else false; HOST is
 * host_address, or ip_address when that is empty; PORT 9100 / 515 when
 * port_number is 0). PW_EBADDATA for an unknown protocol, no host, a port
 * number above 65535 or (LPR) no queue; the text is still validated by the
 * configuration parser afterwards. *text is malloc'd. */
int pw_tcpmon_port_config_text(const pw_tcpmon_port *p, char **text);

/* Decode a DELETE_PORT_DATA_1 (same checks as pw_tcpmon_port_decode, no
 * cbSize field); *name malloc'd. */
int pw_tcpmon_delete_decode(const uint8_t *in, size_t len, char **name);

/* Check a CONFIG_INFO_DATA_1 (same checks; Reserved is ignored). */
int pw_tcpmon_config_info_check(const uint8_t *in, size_t len);

/* The tcpmon view of a portway port: socket:// gives RAWTCP, lpd:// gives
 * LPR; any other kind PW_ENOTSUP (it has no PORT_DATA_1 form). A host longer
 * than 48 UTF-16 units or a name longer than 63 also PW_ENOTSUP (never
 * truncated). ip_address is the host when it is an IPv4 literal, else "";
 * double_spool is the lpd option bytecount (1/0), 0 for RAW;
 * SNMP: disabled, community "", device index 0. */
int pw_tcpmon_port_from_config(const char *name, const pw_port_config *cfg,
                               pw_tcpmon_port *out);

/* Encode a view into a zeroed PORT_DATA_1 (dwVersion 1, cbSize 964).
 * PW_ENOTSUP if a string does not fit its field, PW_EBADDATA if it is not
 * valid UTF-8. out must hold PW_PD1_SIZE bytes. */
int pw_tcpmon_port_encode(const pw_tcpmon_port *p, uint8_t *out);

#endif
