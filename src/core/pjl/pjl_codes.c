/* portway — PJL device status codes as PORT_INFO_3 statuses (pjl.h).
 *
 * Source: HP "Printer Job Language Technical Reference Manual", appendix D
 * "PJL Status Codes" (the groups by first two digits, and the codes named
 * below), and chapter 7's table of status categories (whether the printer
 * stays online: 11, 12, 30, 35 do; 15, 40, 41, 42/44 halt printing). The
 * severity follows that: printing continues -> WARNING (INFO for states
 * that pass by themselves), printing halts -> ERROR. Parser, semantic and
 * file-system errors (20, 25, 27, 32) concern our PJL commands, not the
 * device, and say nothing about its condition. */
#include <stddef.h>

#include "core/pjl/pjl.h"

#define ANY (-1)

typedef struct code_row {
  uint32_t lo, hi; /* codes lo..hi */
  int unit;        /* ANY, or the last digit the code must have (15xxy) */
  int known;       /* 0: the code tells nothing about the device */
  pw_port_status_code status;
  pw_port_severity severity;
  const char *text;
} code_row;

#define ROW(lo, hi, st, sev, text)                                             \
  { (lo), (hi), ANY, 1, PW_PORT_STATUS_##st, PW_PORT_SEVERITY_##sev, (text) }
#define NOTHING(lo, hi)                                                        \
  { (lo), (hi), ANY, 0, PW_PORT_STATUS_OK, PW_PORT_SEVERITY_NONE, NULL }

/* First match wins: single codes before the group they belong to. */
static const code_row rows[] = {
    /* 10xxx informational: no error */
    ROW(10000, 10000, POWER_SAVE, INFO, "power save"),
    ROW(10001, 10001, OK, NONE, "ready"),
    ROW(10002, 10002, OFFLINE, WARNING, "offline"),
    ROW(10003, 10003, WARMING_UP, INFO, "warming up"),
    ROW(10004, 10004, WARMING_UP, INFO, "self test"),
    ROW(10005, 10005, WARMING_UP, INFO, "resetting"),
    ROW(10006, 10006, TONER_LOW, WARNING, "toner low"),
    NOTHING(10010, 10010), /* status buffer overflow: ask again */
    ROW(10023, 10023, OK, NONE, "printing"),
    ROW(10000, 10999, OK, NONE, "online"),
    /* 11xyy background paper mount: tray x empty, another one feeds */
    ROW(11000, 11999, PAPER_OUT, WARNING, "a paper tray is empty"),
    /* 12xyy background paper tray status: tray open or lifting */
    ROW(12000, 12999, PAPER_PROBLEM, WARNING, "a paper tray is open"),
    /* 15xxy output bin xx: y = 1 full, 2 open, 3 broken; offline */
    {15000, 15999, 1, 1, PW_PORT_STATUS_OUTPUT_BIN_FULL, PW_PORT_SEVERITY_ERROR,
     "output bin full"},
    ROW(15000, 15999, USER_INTERVENTION, ERROR, "output bin problem"),
    /* 20xxx, 25xxx, 27xxx: PJL parser errors and warnings, semantic
     * errors (about a command we sent) */
    NOTHING(20000, 20999),
    NOTHING(25000, 25999),
    NOTHING(27000, 27999),
    /* 30xxx auto-continuable conditions */
    NOTHING(30010, 30010), /* status buffer overflow (LaserJet 4/5) */
    ROW(30016, 30016, OUT_OF_MEMORY, WARNING, "memory full"),
    ROW(30000, 30999, USER_INTERVENTION, WARNING, "attention needed"),
    /* 32xxx PJL file system errors: NOTHING by default */
    /* 35xxx possible operator intervention: the printer stays online */
    ROW(35000, 35999, USER_INTERVENTION, WARNING, "attention needed"),
    /* 40xxx operator intervention required: printing halts */
    ROW(40000, 40000, POWER_SAVE, INFO, "sleep mode"),
    ROW(40010, 40010, NO_TONER, ERROR, "no toner cartridge"),
    ROW(40020, 40020, NO_TONER, ERROR, "no MICR toner"),
    ROW(40021, 40021, DOOR_OPEN, ERROR, "door open"),
    ROW(40022, 40022, PAPER_JAM, ERROR, "paper jam"),
    ROW(40038, 40038, TONER_LOW, ERROR, "toner low, printing stopped"),
    ROW(40079, 40079, OFFLINE, ERROR, "offline"),
    ROW(40000, 40999, USER_INTERVENTION, ERROR, "intervention required"),
    /* 41xyy foreground paper mount: tray x needs paper size yy */
    ROW(41000, 41999, PAPER_OUT, ERROR, "load paper"),
    /* 42xyy and 44xyy paper jams (x sheets, yy where) */
    ROW(42000, 42999, PAPER_JAM, ERROR, "paper jam"),
    /* 43xyy optional (external) paper handling device x */
    ROW(43000, 43999, USER_INTERVENTION, ERROR, "paper handling error"),
    ROW(44000, 44999, PAPER_JAM, ERROR, "paper jam"),
    /* 50xxx hardware errors */
    ROW(50000, 50999, USER_INTERVENTION, ERROR, "hardware error"),
};

int pw_pjl_code_status(uint32_t code, pw_port_status *out) {
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    const code_row *r = &rows[i];
    if (code < r->lo || code > r->hi ||
        (r->unit != ANY && code % 10u != (uint32_t)r->unit))
      continue;
    out->code = r->status;
    out->severity = r->severity;
    out->text = r->text;
    return r->known;
  }
  out->code = PW_PORT_STATUS_OK;
  out->severity = PW_PORT_SEVERITY_NONE;
  out->text = NULL;
  return 0;
}
