/* portway — clocks and process identity on POSIX. */
#define _GNU_SOURCE /* localtime_r, clock_gettime under -std=c11 */

#include "platform/platform.h"

#include <time.h>
#include <unistd.h>

void pw_time_local(pw_localtime *out) {
  struct timespec ts = {0, 0};
  struct tm tm;
  clock_gettime(CLOCK_REALTIME, &ts);
  time_t secs = ts.tv_sec;
  if (!localtime_r(&secs, &tm)) {
    /* Out-of-range clock: report the epoch rather than garbage. */
    *out = (pw_localtime){1970, 1, 1, 0, 0, 0, 0};
    return;
  }
  out->year = tm.tm_year + 1900;
  out->month = tm.tm_mon + 1;
  out->day = tm.tm_mday;
  out->hour = tm.tm_hour;
  out->minute = tm.tm_min;
  out->second = tm.tm_sec > 59 ? 59 : tm.tm_sec; /* leap second */
  out->millisecond = (int)(ts.tv_nsec / 1000000);
}

uint64_t pw_time_monotonic_ns(void) {
  struct timespec ts = {0, 0};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

unsigned long pw_process_id(void) {
  return (unsigned long)getpid();
}
