/* portway — the Xcv interface: handles and the command table.
 *
 * The spooler hands XcvDataPort buffers through unchecked, and they may come
 * from any caller of XcvData: every command decodes its input with exact
 * size and NUL checks (decode_strings, or xcv_tcpmon.c for tcpmon's
 * structures) before acting. The command set and formats are documented in
 * docs/xcv.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/handle_table.h"
#include "core/monitor_internal.h"
#include "core/textbuf.h"
#include "core/xcv_tcpmon.h"
#include "portway/utf.h"

#define XCV_MAX_STRINGS 2

typedef struct pw_xcv_handle {
  pw_ref ref;
  pw_monitor *mon;
  char *object; /* port name of a ",XcvPort NAME" handle; may be NULL */
  uint32_t granted;
} pw_xcv_handle;

typedef struct xcv_call {
  pw_xcv_handle *xh;
  const uint8_t *in;
  size_t in_len;
  uint8_t *out;
  size_t out_len;
  size_t *needed;
} xcv_call;

typedef struct xcv_command {
  const char *name;
  int admin; /* needs SERVER_ACCESS_ADMINISTER */
  int (*run)(const xcv_call *call);
} xcv_command;

/* Decode exactly `min`..`max` consecutive NUL-terminated UTF-16LE strings
 * filling the whole input; nothing may follow the last terminator. */
static int decode_strings(const xcv_call *call, size_t min, size_t max,
                          char **s, size_t *count) {
  size_t off = 0, n = 0;
  *count = 0;
  if (!call->in && call->in_len)
    return PW_EBADDATA;
  while (off < call->in_len) {
    size_t used = 0;
    if (n == max)
      goto bad;
    int rc = pw_utf16le_bytes_to_utf8(call->in + off, call->in_len - off, &s[n],
                                      &used);
    if (rc != PW_OK)
      goto bad;
    n++;
    off += used;
  }
  if (n < min)
    goto bad;
  *count = n;
  return PW_OK;
bad:
  for (size_t i = 0; i < n; i++) {
    free(s[i]);
    s[i] = NULL;
  }
  return PW_EBADDATA;
}

static void free_strings(char **s, size_t n) {
  for (size_t i = 0; i < n; i++)
    free(s[i]);
}

static int reply_string(const xcv_call *call, const char *text) {
  size_t need = 0;
  int rc = pw_utf8_to_utf16le_bytes(text, call->out, call->out_len, &need);
  *call->needed = need;
  return rc;
}

static int reply_dword(const xcv_call *call, uint32_t value) {
  *call->needed = 4;
  if (call->out_len < 4)
    return PW_ENOBUFS;
  /* Little-endian DWORD, whatever the host. */
  call->out[0] = (uint8_t)(value & 0xFFu);
  call->out[1] = (uint8_t)((value >> 8) & 0xFFu);
  call->out[2] = (uint8_t)((value >> 16) & 0xFFu);
  call->out[3] = (uint8_t)((value >> 24) & 0xFFu);
  return PW_OK;
}

/* The port a command names: its input, or for "" the handle's object. */
static const char *target_port(const xcv_call *call, const char *named) {
  if (named && *named)
    return named;
  return call->xh->object && *call->xh->object ? call->xh->object : NULL;
}

/* ---- commands ---- */

static int cmd_monitor_ui(const xcv_call *call) {
  /* Input is ignored: spoolers send NULL/0 but nothing requires it. */
  return reply_string(call, call->xh->mon->ui_dll);
}

/* ---- tcpmon-compatible commands (PORT_DATA_1 and friends) ---- */

/* 1 if `text` (lines "key=value") sets the key of `line`. */
static int sets_key(const char *text, const char *line) {
  size_t key_len = strcspn(line, "=\n");
  const char *l = text;
  while (l && *l) {
    if (strncmp(l, line, key_len) == 0 && l[key_len] == '=')
      return 1;
    l = strchr(l, '\n');
    if (l)
      l++;
  }
  return 0;
}

/* ConfigPort keeps the port's other option lines (time-outs, retries...)
 * when the scheme stays the same, unless the new text sets the same key; a
 * change of scheme (socket <-> lpd) starts from the new text alone, since
 * the options of one type are refused by the other. The canonical text
 * always starts with the "uri=" line. */
static int config_port_keep_options(pw_monitor *mon, const char *name,
                                    const char *new_text) {
  char *old = NULL;
  int rc = pw_monitor_get_port_config(mon, name, &old);
  if (rc != PW_OK)
    return rc;
  const char *rest = strchr(old, '\n');
  size_t scheme_len = strcspn(new_text, ":");
  pw_textbuf b = {0};
  pw_textbuf_adds(&b, new_text);
  if (rest && strncmp(old, new_text, scheme_len + 1) == 0) {
    for (const char *l = rest + 1; *l;) {
      size_t n = strcspn(l, "\n");
      if (!sets_key(new_text, l)) {
        pw_textbuf_add(&b, l, n);
        pw_textbuf_addc(&b, '\n');
      }
      l += n + (l[n] == '\n');
    }
  }
  free(old);
  char *text = NULL;
  rc = pw_textbuf_take(&b, &text);
  if (rc == PW_OK)
    rc = pw_monitor_set_port(mon, name, text, NULL, 0);
  free(text);
  return rc;
}

/* AddPort (add != 0) or ConfigPort with a PORT_DATA_1. */
static int run_port_data(const xcv_call *call, int add) {
  pw_tcpmon_port p;
  char *text = NULL;
  int rc = pw_tcpmon_port_decode(call->in, call->in_len, &p);
  if (rc != PW_OK)
    return rc;
  rc = pw_tcpmon_port_config_text(&p, &text);
  if (rc == PW_OK && add) {
    rc = pw_monitor_add_port(call->xh->mon, p.name, text, NULL, 0);
  } else if (rc == PW_OK) {
    /* sztPortName names the port; "" means the port of this handle. */
    const char *name = target_port(call, p.name);
    rc = name ? config_port_keep_options(call->xh->mon, name, text) : PW_ENOENT;
  }
  free(text);
  pw_tcpmon_port_free(&p);
  return rc;
}

static int cmd_config_port(const xcv_call *call) {
  return run_port_data(call, 0);
}

/* The tcpmon view of the port of a ",XcvPort NAME" handle. */
static int port_view(const xcv_call *call, pw_tcpmon_port *view) {
  memset(view, 0, sizeof *view);
  const char *name = target_port(call, NULL);
  if (!name)
    return PW_ENOENT; /* no port named, as DeletePort "" answers */
  char *text = NULL;
  pw_port_config *cfg = NULL;
  int rc = pw_monitor_get_port_config(call->xh->mon, name, &text);
  if (rc == PW_OK)
    rc = pw_port_config_parse(text, &cfg, NULL, 0);
  if (rc == PW_OK)
    rc = pw_tcpmon_port_from_config(name, cfg, view);
  pw_port_config_free(cfg);
  free(text);
  return rc;
}

static int cmd_get_config_info(const xcv_call *call) {
  pw_tcpmon_port view;
  int rc = pw_tcpmon_config_info_check(call->in, call->in_len);
  if (rc != PW_OK)
    return rc;
  rc = port_view(call, &view);
  if (rc != PW_OK)
    return rc;
  *call->needed = PW_PD1_SIZE;
  if (call->out_len < PW_PD1_SIZE)
    rc = PW_ENOBUFS;
  else
    rc = pw_tcpmon_port_encode(&view, call->out);
  pw_tcpmon_port_free(&view);
  return rc;
}

/* The single-value getters; their input is ignored, as MonitorUI's. */
enum getter { G_HOST, G_IP, G_COMMUNITY, G_DEV_INDEX, G_SNMP_ENABLED };

static int run_getter(const xcv_call *call, enum getter g) {
  pw_tcpmon_port view;
  int rc = port_view(call, &view);
  if (rc != PW_OK)
    return rc;
  switch (g) {
  case G_HOST:
    rc = reply_string(call, view.host_address);
    break;
  case G_IP:
    rc = reply_string(call, view.ip_address);
    break;
  case G_COMMUNITY:
    rc = reply_string(call, view.snmp_community);
    break;
  case G_DEV_INDEX:
    rc = reply_dword(call, view.snmp_dev_index);
    break;
  case G_SNMP_ENABLED:
    rc = reply_dword(call, view.snmp_enabled);
    break;
  }
  pw_tcpmon_port_free(&view);
  return rc;
}

static int cmd_host_address(const xcv_call *call) {
  return run_getter(call, G_HOST);
}
static int cmd_ip_address(const xcv_call *call) {
  return run_getter(call, G_IP);
}
static int cmd_snmp_community(const xcv_call *call) {
  return run_getter(call, G_COMMUNITY);
}
static int cmd_snmp_device_index(const xcv_call *call) {
  return run_getter(call, G_DEV_INDEX);
}
static int cmd_snmp_enabled(const xcv_call *call) {
  return run_getter(call, G_SNMP_ENABLED);
}

/* ---- portway's commands ---- */

static int cmd_add_port(const xcv_call *call) {
  char *s[XCV_MAX_STRINGS] = {0};
  size_t n;
  /* Two input forms; the rule (docs/xcv.md) never takes a string-form
   * input that could succeed for a PORT_DATA_1. */
  if (pw_tcpmon_is_port_data(call->in, call->in_len))
    return run_port_data(call, 1);
  int rc = decode_strings(call, 1, 2, s, &n);
  if (rc != PW_OK)
    return rc;
  rc = pw_monitor_add_port(call->xh->mon, s[0], n > 1 ? s[1] : NULL, NULL, 0);
  free_strings(s, n);
  return rc;
}

static int cmd_delete_port(const xcv_call *call) {
  char *s[1] = {0};
  size_t n = 0;
  int rc;
  /* A DELETE_PORT_DATA_1 (236 bytes) is longer than any string-form input
   * naming a valid port (at most 128 bytes). */
  if (pw_tcpmon_is_delete_port_data(call->in, call->in_len)) {
    rc = pw_tcpmon_delete_decode(call->in, call->in_len, &s[0]);
    n = rc == PW_OK ? 1 : 0;
  } else {
    rc = decode_strings(call, 1, 1, s, &n);
  }
  if (rc != PW_OK)
    return rc;
  const char *name = target_port(call, s[0]);
  /* "" on a ,XcvMonitor handle names no port: not found, as Windows'
   * Local Port monitor answers (Wine's localmon conformance test). */
  rc = name ? pw_monitor_delete_port(call->xh->mon, name) : PW_ENOENT;
  free_strings(s, n);
  return rc;
}

static int cmd_port_exists(const xcv_call *call) {
  char *s[1] = {0};
  size_t n;
  int exists = 0;
  int rc = decode_strings(call, 1, 1, s, &n);
  if (rc != PW_OK)
    return rc;
  rc = pw_monitor_port_exists(call->xh->mon, s[0], &exists);
  free_strings(s, n);
  return rc == PW_OK ? reply_dword(call, exists ? 1u : 0u) : rc;
}

static int cmd_port_is_valid(const xcv_call *call) {
  char *s[1] = {0};
  size_t n;
  int rc = decode_strings(call, 1, 1, s, &n);
  if (rc != PW_OK)
    return rc;
  rc = pw_port_name_validate(s[0]);
  free_strings(s, n);
  return rc;
}

static int cmd_get_config(const xcv_call *call) {
  char *s[1] = {0};
  size_t n;
  char *text = NULL;
  int rc = decode_strings(call, 0, 1, s, &n);
  if (rc != PW_OK)
    return rc;
  const char *name = target_port(call, n ? s[0] : NULL);
  rc = name ? pw_monitor_get_port_config(call->xh->mon, name, &text)
            : PW_EBADDATA;
  free_strings(s, n);
  if (rc == PW_OK)
    rc = reply_string(call, text);
  free(text);
  return rc;
}

/* Input: NAME (or none / "" on a ,XcvPort handle). Output: one line saying
 * what was found, also when the test fails; the status is the result. */
/* "NAME" tests the port; "NAME\0CONFIG" tests that configuration, not
 * stored (the Add Port dialog's Test). The second form makes the spooler
 * connect where the caller says, so it needs the administer right; the
 * first connects only where an administrator configured. */
static int cmd_test_port(const xcv_call *call) {
  char *s[2] = {0};
  size_t n;
  char verdict[512];
  int rc = decode_strings(call, 0, 2, s, &n);
  if (rc != PW_OK)
    return rc;
  const char *name = target_port(call, n ? s[0] : NULL);
  if (n == 2 && !(call->xh->granted & PW_SERVER_ACCESS_ADMINISTER)) {
    free_strings(s, n);
    return PW_EACCES;
  }
  if (!name)
    rc = PW_ENOENT;
  else if (n == 2)
    rc = pw_monitor_test_config(call->xh->mon, name, s[1], verdict,
                                sizeof verdict);
  else
    rc = pw_monitor_test_port(call->xh->mon, name, verdict, sizeof verdict);
  free_strings(s, n);
  if (!name)
    snprintf(verdict, sizeof verdict, "no port named");
  int out = reply_string(call, verdict);
  return out == PW_ENOBUFS ? out : rc;
}

static int cmd_set_config(const xcv_call *call) {
  char *s[2] = {0};
  size_t n;
  int rc = decode_strings(call, 2, 2, s, &n);
  if (rc != PW_OK)
    return rc;
  const char *name = target_port(call, s[0]);
  rc = name ? pw_monitor_set_port(call->xh->mon, name, s[1], NULL, 0)
            : PW_EBADDATA;
  free_strings(s, n);
  return rc;
}

static int cmd_get_monitor_config(const xcv_call *call) {
  char text[64];
  const char *level = pw_log_level_name(pw_monitor_log_level(call->xh->mon));
  size_t len = strlen("loglevel=") + strlen(level);
  memcpy(text, "loglevel=", 9);
  memcpy(text + 9, level, strlen(level));
  text[len] = '\n';
  text[len + 1] = '\0';
  return reply_string(call, text);
}

/* Input: "loglevel=<level>" (one line, optional trailing newline). */
static int cmd_set_monitor_config(const xcv_call *call) {
  char *s[1] = {0};
  size_t n;
  pw_log_level level;
  int rc = decode_strings(call, 1, 1, s, &n);
  if (rc != PW_OK)
    return rc;
  char *text = s[0];
  size_t len = strlen(text);
  while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
    text[--len] = '\0';
  if (strncmp(text, "loglevel=", 9) != 0 ||
      pw_log_level_parse(text + 9, &level) != PW_OK)
    rc = PW_EBADCONFIG;
  else
    rc = pw_monitor_set_log_level(call->xh->mon, level);
  free_strings(s, n);
  return rc;
}

static const xcv_command g_commands[] = {
    {"MonitorUI", 0, cmd_monitor_ui},
    {"AddPort", 1, cmd_add_port},
    {"DeletePort", 1, cmd_delete_port},
    {"PortExists", 0, cmd_port_exists},
    {"PortIsValid", 0, cmd_port_is_valid},
    {"GetConfig", 0, cmd_get_config},
    /* Connects to the configured destination only (as printing does). */
    {"TestPort", 0, cmd_test_port},
    {"SetConfig", 1, cmd_set_config},
    {"GetMonitorConfig", 0, cmd_get_monitor_config},
    {"SetMonitorConfig", 1, cmd_set_monitor_config},
    /* tcpmon-compatible (AddPort and DeletePort above take both forms) */
    {"ConfigPort", 1, cmd_config_port},
    {"GetConfigInfo", 0, cmd_get_config_info},
    {"HostAddress", 0, cmd_host_address},
    {"IPAddress", 0, cmd_ip_address},
    {"SNMPCommunity", 0, cmd_snmp_community},
    {"SNMPDeviceIndex", 0, cmd_snmp_device_index},
    {"SNMPEnabled", 0, cmd_snmp_enabled},
};

/* ---- handles ---- */

static void xcv_handle_destroy(pw_ref *ref) {
  pw_xcv_handle *xh = PW_CONTAINER_OF(ref, pw_xcv_handle, ref);
  pw_monitor_release(xh->mon);
  free(xh->object);
  free(xh);
}

/* pw_handle_close_fn: nothing runs on an Xcv handle between calls; a call
 * still running holds its own reference, and the monitor's closing state
 * stops it from changing ports or the store after Shutdown. */
static void xcv_handle_close(pw_ref *obj) {
  pw_ref_release(obj);
}

int pw_xcv_open(pw_monitor *mon, const char *object, uint32_t granted,
                pw_handle *out) {
  int rc = pw_monitor_check(mon);
  if (rc != PW_OK)
    return rc;
  if (!out)
    return PW_EINVAL;
  pw_xcv_handle *xh = calloc(1, sizeof *xh);
  if (!xh)
    return PW_ENOMEM;
  pw_ref_init(&xh->ref, xcv_handle_destroy);
  pw_monitor_acquire(mon);
  xh->mon = mon;
  xh->granted = granted;
  if (object && !(xh->object = pw_strdup(object))) {
    pw_ref_release(&xh->ref);
    return PW_ENOMEM;
  }
  rc = pw_handle_alloc(PW_HANDLE_XCV, &xh->ref, mon, xcv_handle_close, out);
  if (rc != PW_OK)
    pw_ref_release(&xh->ref);
  return rc;
}

int pw_xcv_data(pw_handle h, const char *command, const uint8_t *in,
                size_t in_len, uint8_t *out, size_t out_len, size_t *needed) {
  pw_ref *ref;
  size_t dummy;
  if (!needed)
    needed = &dummy;
  *needed = 0;
  int rc = pw_handle_get(h, PW_HANDLE_XCV, &ref);
  if (rc != PW_OK)
    return rc;
  pw_xcv_handle *xh = PW_CONTAINER_OF(ref, pw_xcv_handle, ref);
  const xcv_command *cmd = NULL;
  for (size_t i = 0; command && i < sizeof g_commands / sizeof *g_commands; i++)
    if (strcmp(g_commands[i].name, command) == 0)
      cmd = &g_commands[i];
  if (!cmd)
    rc = PW_ENOTFOUNDCMD;
  else if (cmd->admin && !(xh->granted & PW_SERVER_ACCESS_ADMINISTER))
    rc = PW_EACCES;
  else if (!out && out_len)
    rc = PW_EINVAL;
  else if (!in && in_len)
    rc = PW_EBADDATA;
  else {
    xcv_call call = {xh, in, in_len, out, out_len, needed};
    rc = cmd->run(&call);
  }
  if (rc == PW_EACCES || rc == PW_ENOTFOUNDCMD)
    pw_log_write(xh->mon->log, PW_LOG_WARN, "xcv %s: refused: %s",
                 command ? command : "(null)", pw_strerror(rc));
  pw_ref_release(ref);
  return rc;
}

int pw_xcv_close(pw_handle h) {
  pw_ref *obj;
  int rc = pw_handle_free(h, PW_HANDLE_XCV, &obj);
  if (rc == PW_OK)
    xcv_handle_close(obj);
  return rc;
}
