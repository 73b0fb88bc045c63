/* portway tests — what the destination tests share (test_dest_*.c): the
 * pattern jobs are made of, writing one through the port API, the monitor's
 * log, a loopback port nobody listens on, and the process's peak RSS. */
#ifndef PORTWAY_TEST_JOBFIX_H
#define PORTWAY_TEST_JOBFIX_H

#include <stddef.h>
#include <stdint.h>

#include "fixture.h"

/* Byte i of every test job. */
unsigned char jobfix_byte(uint64_t i);
/* Write `total` pattern bytes through pw_port_write in `chunk`-byte pieces
 * (at most 4096): PW_OK or the first failure. */
int jobfix_write_pattern(pw_handle h, uint64_t total, size_t chunk);
/* 1 if the monitor's log holds `needle`. */
int jobfix_log_has(fixture *fx, const char *needle);
/* A loopback TCP port with nothing listening (bound, then closed); -1. */
int jobfix_dead_port(void);
/* Restart the peak-RSS count from the current RSS (Linux >= 4.0). */
void jobfix_reset_peak_rss(void);
/* Peak resident set of this process in KiB (Linux), or 0. */
unsigned long jobfix_peak_rss_kib(void);

#endif
