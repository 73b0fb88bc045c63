/* libFuzzer target: Xcv input decoding and the command table.
 *
 * Input layout: byte 0 picks the command (bits 0-5), the admin right (bit
 * 7) and the template mode (bit 6); byte 1 the output buffer size (and
 * bit 0 the handle's object "FUZZ:"); the rest is the raw pInputData.
 * Template mode reaches deep into the tcpmon structures (docs/xcv.md): the
 * input starts as a valid PORT_DATA_1 (AddPort, ConfigPort and the rest),
 * DELETE_PORT_DATA_1 (DeletePort) or CONFIG_INFO_DATA_1 (GetConfigInfo) of
 * its exact size, and the fuzz bytes after a 2-byte offset overwrite it from
 * that offset on (cut at the structure's end). The whole
 * command layer runs over an in-memory store, so every decoded port name and
 * config text is exercised through validation, storage and read-back. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "portway/core.h"

#define MAX_PORTS 32

static char *g_names[MAX_PORTS];
static char *g_texts[MAX_PORTS];

static char *dup_str(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d)
    memcpy(d, s, n);
  return d;
}

static int find(const char *name) {
  for (int i = 0; i < MAX_PORTS; i++)
    if (g_names[i] && strcmp(g_names[i], name) == 0)
      return i;
  return -1;
}

static int st_list(void *ctx, int (*cb)(void *, const char *), void *arg) {
  (void)ctx;
  for (int i = 0; i < MAX_PORTS; i++)
    if (g_names[i] && cb(arg, g_names[i]))
      break;
  return PW_OK;
}

static int st_read(void *ctx, const char *name, char **text) {
  (void)ctx;
  int i = find(name);
  if (i < 0)
    return PW_ENOENT;
  *text = dup_str(g_texts[i]);
  return *text ? PW_OK : PW_ENOMEM;
}

static int st_write(void *ctx, const char *name, const char *text) {
  (void)ctx;
  int i = find(name);
  for (int k = 0; i < 0 && k < MAX_PORTS; k++)
    if (!g_names[k]) {
      i = k;
      g_names[k] = dup_str(name);
    }
  if (i < 0)
    return PW_ENOSPC;
  free(g_texts[i]);
  g_texts[i] = dup_str(text);
  return PW_OK;
}

static int st_delete(void *ctx, const char *name) {
  (void)ctx;
  int i = find(name);
  if (i < 0)
    return PW_ENOENT;
  free(g_names[i]);
  free(g_texts[i]);
  g_names[i] = g_texts[i] = NULL;
  return PW_OK;
}

/* Logging off: the fuzzer would otherwise fill the log with refusals. */
static int st_read_setting(void *ctx, const char *key, char **value) {
  (void)ctx;
  if (strcmp(key, "LogLevel") != 0)
    return PW_ENOENT;
  *value = dup_str("off");
  return *value ? PW_OK : PW_ENOMEM;
}

/* The first ten keep their index, so older seeds pick the same command. */
static const char *const commands[] = {
    "MonitorUI",        "AddPort",   "DeletePort",    "PortExists",
    "PortIsValid",      "GetConfig", "SetConfig",     "GetMonitorConfig",
    "SetMonitorConfig", "Unknown",   "ConfigPort",    "GetConfigInfo",
    "HostAddress",      "IPAddress", "SNMPCommunity", "SNMPDeviceIndex",
    "SNMPEnabled"};
#define NCOMMANDS (sizeof commands / sizeof *commands)

static void put16(uint8_t *b, size_t off, const char *s) {
  for (; *s; s++, off += 2) {
    b[off] = (uint8_t)*s;
    b[off + 1] = 0;
  }
}

static void put32(uint8_t *b, size_t off, uint32_t v) {
  for (int i = 0; i < 4; i++)
    b[off + (size_t)i] = (uint8_t)(v >> (8 * i));
}

/* A valid structure for cmd into t (zeroed, 964 bytes); returns its size. */
static size_t template_for(const char *cmd, uint8_t *t) {
  memset(t, 0, 964);
  put16(t, 0, "FUZZ:");
  if (strcmp(cmd, "DeletePort") == 0) {
    put32(t, 228, 1); /* DELETE_PORT_DATA_1 */
    return 236;
  }
  if (strcmp(cmd, "GetConfigInfo") == 0) {
    memset(t, 0, 128);
    put32(t, 128, 1); /* CONFIG_INFO_DATA_1 */
    return 132;
  }
  put32(t, 128, 1); /* PORT_DATA_1: dwVersion, RAW, cbSize */
  put32(t, 132, 1);
  put32(t, 136, 964);
  put16(t, 144, "127.0.0.1");
  put16(t, 312, "lp");
  put32(t, 952, 9100);
  return 964;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static pw_monitor *mon;
  static uint8_t out[1024];
  if (!mon) {
    static const pw_store store = {
        NULL, st_list, st_read, st_write, st_delete, st_read_setting, NULL};
    pw_monitor_options opt = {.name = "portway",
                              .data_dir = "/tmp/portway-fuzz-xcv",
                              .store = &store,
                              .ui_dll = "portwayui.dll"};
    if (pw_monitor_create(&opt, &mon) != PW_OK)
      abort();
  }
  if (size < 2)
    return 0;
  const char *cmd = commands[(data[0] & 0x3Fu) % NCOMMANDS];
  uint32_t access = (data[0] & 0x80u) ? PW_SERVER_ACCESS_ADMINISTER : 0u;
  size_t out_len = data[1] % 513u;
  pw_handle h;
  if (pw_xcv_open(mon, (data[1] & 1u) ? "FUZZ:" : NULL, access, &h) != PW_OK)
    abort();
  /* Copy to an exact-size heap buffer so ASan catches any over-read. */
  size_t in_len = size - 2;
  uint8_t *in;
  if ((data[0] & 0x40u) && size >= 4) {
    uint8_t t[964];
    in_len = template_for(cmd, t);
    size_t off = ((size_t)data[2] | (size_t)data[3] << 8) % in_len;
    size_t n = size - 4 < in_len - off ? size - 4 : in_len - off;
    memcpy(t + off, data + 4, n);
    if (!(in = malloc(in_len)))
      abort();
    memcpy(in, t, in_len);
    if (data[1] & 2u)
      out_len = sizeof out; /* room for a PORT_DATA_1 */
  } else {
    in = in_len ? malloc(in_len) : NULL;
    if (in_len && !in)
      abort();
    if (in_len)
      memcpy(in, data + 2, in_len);
  }
  size_t needed = 0;
  int rc =
      pw_xcv_data(h, cmd, in, in_len, out_len ? out : NULL, out_len, &needed);
  if (rc == PW_ENOBUFS && needed <= out_len)
    abort(); /* "too small" must mean it did not fit */
  if (rc == PW_OK && needed > out_len)
    abort(); /* claimed success past the buffer */
  free(in);
  if (pw_xcv_close(h) != PW_OK)
    abort();
  return 0;
}
