/* portway — a language-monitor port's options: the REG_SZ (or
 * REG_MULTI_SZ) value "Options" under Ports\<port> of the monitor's key,
 * "key=value" lines (docs/language-monitor.md). Read at OpenPortEx through
 * MONITORREG, or through the registry key the spooler passed where its
 * callbacks are stubs (Wine). Registry content is not trusted: sizes are
 * bounded, the text strictly decoded and parsed by the core; anything wrong
 * is logged and the defaults are used, so a typo never stops printing. */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "langmon/front.h"

#define OPTIONS_MAX_BYTES 4096u

static void warn(pwl_instance *inst, const WCHAR *port, const char *why) {
  char *p = NULL;
  (void)pwm_wide_to_utf8(port, PWM_MAX_NAME, &p);
  pw_lm_log(pwl_instance_core(inst), PW_LOG_WARN,
            "port=%s options not used (%s); the defaults apply", p ? p : "?",
            why);
  free(p);
}

void pwl_read_options(pwl_instance *inst, const WCHAR *port,
                      pw_lm_port_options *out) {
  (void)pw_lm_port_options_parse(NULL, out, NULL, 0); /* the defaults */
  const pwm_reg *reg = pwl_instance_reg(inst);
  /* A name with '\' would open a deeper key, not this port's. */
  if (wcschr(port, L'\\') || wcslen(port) >= PWM_REG_NAME_MAX)
    return;
  HANDLE ports = NULL, key = NULL;
  if (pwm_reg_open(reg, reg->root, L"Ports", &ports) != ERROR_SUCCESS)
    return;
  LONG rc = pwm_reg_open(reg, ports, port, &key);
  pwm_reg_close(reg, ports);
  if (rc != ERROR_SUCCESS)
    return; /* no entry: the defaults */
  WCHAR buf[OPTIONS_MAX_BYTES / sizeof(WCHAR) + 1];
  DWORD type = 0, cb = OPTIONS_MAX_BYTES;
  rc = pwm_reg_query_value(reg, key, L"Options", &type, (BYTE *)buf, &cb);
  pwm_reg_close(reg, key);
  if (rc == ERROR_FILE_NOT_FOUND)
    return;
  if (rc != ERROR_SUCCESS || (type != REG_SZ && type != REG_MULTI_SZ) ||
      cb % sizeof(WCHAR) != 0) {
    warn(inst, port,
         rc == ERROR_MORE_DATA ? "longer than 4 KB"
                               : "not a readable string value");
    return;
  }
  size_t n = cb / sizeof(WCHAR);
  buf[n] = L'\0';
  /* REG_MULTI_SZ: one option per string. */
  for (size_t i = 0; i + 1 < n; i++)
    if (buf[i] == L'\0')
      buf[i] = L'\n';
  char *text = NULL;
  if (pwm_wide_to_utf8(buf, n + 1, &text) != PW_OK) {
    warn(inst, port, "not valid UTF-16");
    return;
  }
  char why[200] = "";
  if (pw_lm_port_options_parse(text, out, why, sizeof why) != PW_OK)
    warn(inst, port, why);
  free(text);
}
