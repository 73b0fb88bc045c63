/* portway — the Standard TCP/IP Port monitor's Xcv structures
 * (PORT_DATA_1, DELETE_PORT_DATA_1, CONFIG_INFO_DATA_1; Microsoft's tcpxcv.h
 * pages), for Windows-side code that builds them: pwctl add-tcpip-port and
 * the Windows tests. The DLL itself decodes them as bytes in the portable
 * core (src/core/xcv_tcpmon.c).
 *
 * Debian 12's mingw-w64 has no tcpxcv.h: the documented layouts are
 * declared here under our own names, and every size and offset is asserted
 * (the conformance checklist's item 37). */
#ifndef PORTWAY_TCPXCV_COMPAT_H
#define PORTWAY_TCPXCV_COMPAT_H

#include <stddef.h>
#include <windows.h>

typedef struct PWT_PORT_DATA_1 {
  WCHAR sztPortName[64]; /* MAX_PORTNAME_LEN */
  DWORD dwVersion;
  DWORD dwProtocol;
  DWORD cbSize;
  DWORD dwReserved;
  WCHAR sztHostAddress[49];   /* MAX_NETWORKNAME_LEN */
  WCHAR sztSNMPCommunity[33]; /* MAX_SNMP_COMMUNITY_STR_LEN */
  DWORD dwDoubleSpool;
  WCHAR sztQueue[33];     /* MAX_QUEUENAME_LEN */
  WCHAR sztIPAddress[16]; /* MAX_IPADDR_STR_LEN */
  BYTE Reserved[540];
  DWORD dwPortNumber;
  DWORD dwSNMPEnabled;
  DWORD dwSNMPDevIndex;
} PWT_PORT_DATA_1;

typedef struct PWT_DELETE_PORT_DATA_1 {
  WCHAR psztPortName[64];
  BYTE Reserved[98];
  DWORD dwVersion;
  DWORD dwReserved;
} PWT_DELETE_PORT_DATA_1;

typedef struct PWT_CONFIG_INFO_DATA_1 {
  BYTE Reserved[128];
  DWORD dwVersion;
} PWT_CONFIG_INFO_DATA_1;

#define PWT_PROTOCOL_RAWTCP_TYPE 1
#define PWT_PROTOCOL_LPR_TYPE 2

_Static_assert(sizeof(PWT_PORT_DATA_1) == 964, "PORT_DATA_1 size");
_Static_assert(offsetof(PWT_PORT_DATA_1, dwVersion) == 128, "dwVersion");
_Static_assert(offsetof(PWT_PORT_DATA_1, dwProtocol) == 132, "dwProtocol");
_Static_assert(offsetof(PWT_PORT_DATA_1, cbSize) == 136, "cbSize");
_Static_assert(offsetof(PWT_PORT_DATA_1, dwReserved) == 140, "dwReserved");
_Static_assert(offsetof(PWT_PORT_DATA_1, sztHostAddress) == 144, "host");
_Static_assert(offsetof(PWT_PORT_DATA_1, sztSNMPCommunity) == 242, "snmp");
_Static_assert(offsetof(PWT_PORT_DATA_1, dwDoubleSpool) == 308, "spool");
_Static_assert(offsetof(PWT_PORT_DATA_1, sztQueue) == 312, "queue");
_Static_assert(offsetof(PWT_PORT_DATA_1, sztIPAddress) == 378, "ip");
_Static_assert(offsetof(PWT_PORT_DATA_1, Reserved) == 410, "reserved");
_Static_assert(offsetof(PWT_PORT_DATA_1, dwPortNumber) == 952, "port");
_Static_assert(offsetof(PWT_PORT_DATA_1, dwSNMPEnabled) == 956, "snmp on");
_Static_assert(offsetof(PWT_PORT_DATA_1, dwSNMPDevIndex) == 960, "index");
_Static_assert(sizeof(PWT_DELETE_PORT_DATA_1) == 236, "DELETE_PORT_DATA_1");
_Static_assert(offsetof(PWT_DELETE_PORT_DATA_1, Reserved) == 128, "reserved");
_Static_assert(offsetof(PWT_DELETE_PORT_DATA_1, dwVersion) == 228, "version");
_Static_assert(offsetof(PWT_DELETE_PORT_DATA_1, dwReserved) == 232, "dw");
_Static_assert(sizeof(PWT_CONFIG_INFO_DATA_1) == 132, "CONFIG_INFO_DATA_1");
_Static_assert(offsetof(PWT_CONFIG_INFO_DATA_1, dwVersion) == 128, "version");

#endif
