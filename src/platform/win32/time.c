/* portway — clocks and process identity on Win32. */
#include "platform/win32/win32_internal.h"

#include "platform/platform.h"

void pw_time_local(pw_localtime *out) {
  SYSTEMTIME st;
  GetLocalTime(&st);
  out->year = st.wYear;
  out->month = st.wMonth;
  out->day = st.wDay;
  out->hour = st.wHour;
  out->minute = st.wMinute;
  out->second = st.wSecond;
  out->millisecond = st.wMilliseconds;
}

uint64_t pw_time_monotonic_ns(void) {
  LARGE_INTEGER freq, now;
  /* Cheap to ask each time; caching it would be a shared unlocked static. */
  if (!QueryPerformanceFrequency(&freq) || !QueryPerformanceCounter(&now))
    return 0;
  uint64_t f = (uint64_t)freq.QuadPart, c = (uint64_t)now.QuadPart;
  if (freq.QuadPart <= 0 || now.QuadPart < 0)
    return 0;
  /* Split to avoid overflowing c * 1e9. */
  return (c / f) * 1000000000u + (c % f) * 1000000000u / f;
}

unsigned long pw_process_id(void) {
  return GetCurrentProcessId();
}
