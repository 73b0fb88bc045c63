/* PJL device status codes as PORT_INFO_3 statuses
 * (src/core/pjl/pjl_codes.c), by HP's PJL Technical Reference Manual,
 * appendix D: ready codes clear; each group gives its condition; codes
 * about our own PJL commands, or outside every group, change nothing. */
#include <stdint.h>
#include <stdio.h>

#include "core/pjl/pjl.h"
#include "test.h"

#define CLEAR PW_PORT_STATUS_OK
#define NONE PW_PORT_SEVERITY_NONE
#define ERROR PW_PORT_SEVERITY_ERROR
#define WARN PW_PORT_SEVERITY_WARNING
#define INFO PW_PORT_SEVERITY_INFO

typedef struct want {
  uint32_t code;
  int known;
  pw_port_status_code status;
  pw_port_severity severity;
} want;

static const want table[] = {
    /* 10xxx informational */
    {10001, 1, CLEAR, NONE}, /* 00 READY, online: clears */
    {10023, 1, CLEAR, NONE}, /* printing */
    {10007, 1, CLEAR, NONE}, /* another informational code: still online */
    {10000, 1, PW_PORT_STATUS_POWER_SAVE, INFO},
    {10002, 1, PW_PORT_STATUS_OFFLINE, WARN},
    {10003, 1, PW_PORT_STATUS_WARMING_UP, INFO},
    {10005, 1, PW_PORT_STATUS_WARMING_UP, INFO},
    {10006, 1, PW_PORT_STATUS_TONER_LOW, WARN},
    {10010, 0, CLEAR, NONE}, /* status buffer overflow: ask again */
    /* background conditions: the printer stays online */
    {11104, 1, PW_PORT_STATUS_PAPER_OUT, WARN},     /* tray 1, A4 */
    {12201, 1, PW_PORT_STATUS_PAPER_PROBLEM, WARN}, /* tray 2 open */
    /* 15xxy output bin xx: y = 1 full, 2 open, 3 broken */
    {15031, 1, PW_PORT_STATUS_OUTPUT_BIN_FULL, ERROR},
    {15001, 1, PW_PORT_STATUS_OUTPUT_BIN_FULL, ERROR},
    {15032, 1, PW_PORT_STATUS_USER_INTERVENTION, ERROR},
    {15993, 1, PW_PORT_STATUS_USER_INTERVENTION, ERROR},
    /* about our PJL commands, not the device */
    {20001, 0, CLEAR, NONE},
    {25003, 0, CLEAR, NONE},
    {27001, 0, CLEAR, NONE},
    {32000, 0, CLEAR, NONE},
    /* 30xxx auto-continuable, 35xxx possible intervention */
    {30010, 0, CLEAR, NONE},
    {30016, 1, PW_PORT_STATUS_OUT_OF_MEMORY, WARN},
    {30017, 1, PW_PORT_STATUS_USER_INTERVENTION, WARN},
    {35078, 1, PW_PORT_STATUS_USER_INTERVENTION, WARN},
    /* 40xxx operator intervention: printing halts */
    {40000, 1, PW_PORT_STATUS_POWER_SAVE, INFO},
    {40010, 1, PW_PORT_STATUS_NO_TONER, ERROR},
    {40020, 1, PW_PORT_STATUS_NO_TONER, ERROR},
    {40021, 1, PW_PORT_STATUS_DOOR_OPEN, ERROR},
    {40022, 1, PW_PORT_STATUS_PAPER_JAM, ERROR},
    {40038, 1, PW_PORT_STATUS_TONER_LOW, ERROR},
    {40079, 1, PW_PORT_STATUS_OFFLINE, ERROR},
    {40048, 1, PW_PORT_STATUS_USER_INTERVENTION, ERROR},
    {40999, 1, PW_PORT_STATUS_USER_INTERVENTION, ERROR},
    /* 41xyy foreground paper mount, 42xyy / 44xyy jams */
    {41102, 1, PW_PORT_STATUS_PAPER_OUT, ERROR},
    {41999, 1, PW_PORT_STATUS_PAPER_OUT, ERROR},
    {42103, 1, PW_PORT_STATUS_PAPER_JAM, ERROR},
    {43101, 1, PW_PORT_STATUS_USER_INTERVENTION, ERROR},
    {44003, 1, PW_PORT_STATUS_PAPER_JAM, ERROR},
    /* 50xxx hardware */
    {50000, 1, PW_PORT_STATUS_USER_INTERVENTION, ERROR},
    {50999, 1, PW_PORT_STATUS_USER_INTERVENTION, ERROR},
    /* outside every group */
    {0, 0, CLEAR, NONE},
    {9999, 0, CLEAR, NONE},
    {13000, 0, CLEAR, NONE},
    {51000, 0, CLEAR, NONE},
    {55001, 0, CLEAR, NONE},
    {99999, 0, CLEAR, NONE},
    {UINT32_MAX, 0, CLEAR, NONE},
};

TEST(each_code_maps_to_its_port_status_and_severity) {
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
    pw_port_status st = {(pw_port_status_code)99, (pw_port_severity)99, "x"};
    int known = pw_pjl_code_status(table[i].code, &st);
    if (known != table[i].known || st.code != table[i].status ||
        st.severity != table[i].severity)
      fprintf(stderr, "  code %lu: known %d status %d severity %d\n",
              (unsigned long)table[i].code, known, (int)st.code,
              (int)st.severity);
    ASSERT_EQ(known, table[i].known);
    ASSERT_EQ(st.code, table[i].status);
    ASSERT_EQ(st.severity, table[i].severity);
    ASSERT(table[i].known ? st.text && *st.text : st.text == NULL);
  }
}

TEST(ready_clears_with_no_severity_and_every_condition_has_one) {
  pw_port_status st;
  ASSERT_EQ(pw_pjl_code_status(10001, &st), 1);
  ASSERT_EQ(st.code, PW_PORT_STATUS_OK);
  ASSERT_EQ(st.severity, PW_PORT_SEVERITY_NONE);
  ASSERT_STREQ(st.text, "ready");
  /* over every 5-digit code: a condition has a severity, a clear none */
  for (uint32_t code = 10000; code <= 59999; code++) {
    if (!pw_pjl_code_status(code, &st))
      continue;
    ASSERT(st.text != NULL);
    ASSERT_EQ(st.code == PW_PORT_STATUS_OK,
              st.severity == PW_PORT_SEVERITY_NONE);
    ASSERT(st.code <= PW_PORT_STATUS_POWER_SAVE);
  }
}

TEST_MAIN(TEST_ENTRY(each_code_maps_to_its_port_status_and_severity),
          TEST_ENTRY(ready_clears_with_no_severity_and_every_condition_has_one))
