/* monrun — "ports": EnumPorts at levels 1 and 2, the spooler's way (sizing
 * call, then fill), with the buffer rules checked. */
#include "monrun.h"

#include <stdlib.h>
#include <string.h>

typedef struct port_list {
  BYTE *buf;
  DWORD cb;
  DWORD count;
} port_list;

/* A string pointer the monitor put in the buffer must point inside it and
 * be NUL-terminated there (the spooler copies these strings out). */
static int string_ok(const port_list *pl, const wchar_t *s) {
  const BYTE *p = (const BYTE *)s;
  if (!s || p < pl->buf || p >= pl->buf + pl->cb)
    return 0;
  size_t max = (size_t)(pl->buf + pl->cb - p) / sizeof(wchar_t);
  for (size_t i = 0; i < max; i++)
    if (s[i] == 0)
      return 1;
  return 0;
}

/* Sizing call with no buffer, then the fill call; retried if the list grew
 * in between. Returns 0 or a Win32 code (message printed). */
static DWORD enum_level(mr_monitor *mon, DWORD level, port_list *pl) {
  char e[300];
  memset(pl, 0, sizeof *pl);
  for (int attempt = 0; attempt < 4; attempt++) {
    DWORD needed = 0, returned = 0;
    BOOL ok = mr_enum_ports(mon, level, pl->buf, pl->cb, &needed, &returned);
    if (ok) {
      if (needed > pl->cb && pl->cb > 0)
        mr_warn_once("EnumPorts level %lu: *pcbNeeded %lu exceeds the "
                     "buffer it filled (%lu)",
                     (unsigned long)level, (unsigned long)needed,
                     (unsigned long)pl->cb);
      if (returned > 0 && pl->cb == 0) {
        mr_err("EnumPorts level %lu returned %lu ports into an empty buffer",
               (unsigned long)level, (unsigned long)returned);
        return ERROR_INVALID_DATA;
      }
      pl->count = returned;
      return ERROR_SUCCESS;
    }
    DWORD code = GetLastError();
    if (code == ERROR_INVALID_LEVEL && level > 1) {
      /* Allowed: some monitors implement level 1 only. */
      mr_info(1, "EnumPorts level %lu: not supported by the monitor",
              (unsigned long)level);
      return code;
    }
    if (code != ERROR_INSUFFICIENT_BUFFER) {
      mr_err("EnumPorts level %lu failed: %s", (unsigned long)level,
             mr_errstr(code, e, sizeof e));
      return code ? code : ERROR_GEN_FAILURE;
    }
    if (needed <= pl->cb || needed > 64u * 1024 * 1024) {
      mr_err("EnumPorts level %lu: ERROR_INSUFFICIENT_BUFFER with "
             "*pcbNeeded %lu for a buffer of %lu bytes",
             (unsigned long)level, (unsigned long)needed,
             (unsigned long)pl->cb);
      return ERROR_INVALID_DATA;
    }
    free(pl->buf);
    pl->buf = malloc(needed);
    if (!pl->buf)
      return ERROR_NOT_ENOUGH_MEMORY;
    /* Poison: a field the monitor forgets to fill shows up as garbage. */
    memset(pl->buf, 0xcc, needed);
    pl->cb = needed;
  }
  mr_err("EnumPorts level %lu: buffer size kept changing",
         (unsigned long)level);
  return ERROR_INVALID_DATA;
}

int mr_cmd_ports(mr_monitor *mon) {
  port_list l1, l2;
  char name[600], monname[600], desc[600];
  int rc = MR_EXIT_OK;

  if (enum_level(mon, 1, &l1) != ERROR_SUCCESS) {
    free(l1.buf);
    return MR_EXIT_FAILED;
  }
  /* Level 1 is what is printed; validate all pointers first. */
  PORT_INFO_1W *p1 = (PORT_INFO_1W *)l1.buf;
  if (l1.count > 0 && (size_t)l1.count * sizeof *p1 > l1.cb) {
    mr_err("EnumPorts level 1: %lu entries do not fit the %lu-byte buffer",
           (unsigned long)l1.count, (unsigned long)l1.cb);
    free(l1.buf);
    return MR_EXIT_FAILED;
  }
  for (DWORD i = 0; i < l1.count; i++) {
    if (!string_ok(&l1, p1[i].pName)) {
      mr_err("EnumPorts level 1: entry %lu: pName outside the buffer",
             (unsigned long)i);
      free(l1.buf);
      return MR_EXIT_FAILED;
    }
  }

  DWORD code2 = enum_level(mon, 2, &l2);
  PORT_INFO_2W *p2 = (PORT_INFO_2W *)l2.buf;
  if (code2 == ERROR_SUCCESS) {
    if (l2.count > 0 && (size_t)l2.count * sizeof *p2 > l2.cb) {
      mr_err("EnumPorts level 2: entries do not fit the buffer");
      code2 = ERROR_INVALID_DATA;
      rc = MR_EXIT_FAILED;
    } else if (l2.count != l1.count) {
      mr_warn_once("EnumPorts returned %lu ports at level 1 but %lu at "
                   "level 2",
                   (unsigned long)l1.count, (unsigned long)l2.count);
    }
    for (DWORD i = 0; code2 == ERROR_SUCCESS && i < l2.count; i++) {
      if (!string_ok(&l2, p2[i].pPortName) ||
          !string_ok(&l2, p2[i].pMonitorName) ||
          !string_ok(&l2, p2[i].pDescription)) {
        /* Wine's spooler copies pMonitorName and pDescription: they must
         * be valid strings. */
        mr_err("EnumPorts level 2: entry %lu: a string pointer is NULL or "
               "outside the buffer",
               (unsigned long)i);
        code2 = ERROR_INVALID_DATA;
        rc = MR_EXIT_FAILED;
      } else if (p2[i].Reserved != 0 || !(p2[i].fPortType & PORT_TYPE_WRITE)) {
        mr_warn_once("EnumPorts level 2: port %s: Reserved %lu, fPortType "
                     "0x%lx (expected 0 and PORT_TYPE_WRITE)",
                     mr_u8(p2[i].pPortName, name, sizeof name),
                     (unsigned long)p2[i].Reserved,
                     (unsigned long)p2[i].fPortType);
      }
    }
  } else if (code2 != ERROR_INVALID_LEVEL) {
    rc = MR_EXIT_FAILED; /* message already printed */
  }

  if (mr_verbose && code2 == ERROR_SUCCESS) {
    /* Level 2 in its own order: it carries its own port names. */
    for (DWORD i = 0; i < l2.count; i++)
      mr_out("%s\t%s\t%s\ttype=0x%lx",
             mr_u8(p2[i].pPortName, name, sizeof name),
             mr_u8(p2[i].pMonitorName, monname, sizeof monname),
             mr_u8(p2[i].pDescription, desc, sizeof desc),
             (unsigned long)p2[i].fPortType);
  } else {
    for (DWORD i = 0; i < l1.count; i++)
      mr_out("%s", mr_u8(p1[i].pName, name, sizeof name));
  }
  mr_info(1, "%lu ports", (unsigned long)l1.count);
  free(l1.buf);
  free(l2.buf);
  return rc;
}
