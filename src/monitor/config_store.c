/* portway — the core's pw_store over the registry (regkey.c picks
 * MONITORREG or the Win32 fallback).
 *
 * Layout below the monitor's root key:
 *   Ports\<port name>        one key per port
 *     Config = REG_SZ        the port's whole configuration text
 *   <setting>      = REG_SZ  monitor-wide settings ("LogLevel") on the root
 *
 * One value per port makes a change atomic for readers in other processes
 * (under Wine every client process loads the DLL): a single value is
 * replaced as a whole, so a reader sees the old text or the new one, never
 * a mix. The port key belongs to the monitor: a write removes every other
 * named value in it.
 *
 * The previous release stored one REG_SZ value per config line ("uri",
 * "pattern"...). A port without Config is read in that layout, so existing
 * installs keep working, and the next write converts it (Config first,
 * then the old values go). While that one conversion runs, a reader in
 * another process can still see part of the old values; once Config is
 * there, the old values are never read again.
 *
 * Wine routes jobs to a monitor only through the Ports\<port> key, so the
 * key per port is not just convention. Registry content is as hostile as
 * any other input: only REG_SZ data terminated inside its data, of bounded
 * size and valid UTF-16 (and, in the old layout, with plain value names) is
 * turned back into config text; anything else reads as PW_EBADCONFIG and
 * the core skips the port. The text itself is parsed by the core. */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "monitor/regkey.h"
#include "platform/platform.h"
#include "platform/win32/win32_internal.h"
#include "portway/config.h"

#define PORTS_KEY L"Ports"
#define KEY_NAME_MAX 256
#define CONFIG_VALUE L"Config"
/* Root value that changes with every port write or delete, by any process:
 * 16 hex digits of a fresh random number. */
#define STAMP_VALUE L"ChangeStamp"
#define CONFIG_KEY_MAX 64 /* "uri", "pattern", "timeout": short words */
#define SETTING_MAX 256   /* units in a monitor-wide setting */
#define VALUES_MAX 256    /* values read from one port key */

struct pwm_store {
  pwm_reg reg;
  /* Serialises multi-step registry updates (write Config, then remove the
   * old values; delete a port tree) against reads in this process. */
  SRWLOCK lock;
  pw_store iface;
};

static int reg_err(LONG rc) {
  return rc == ERROR_MORE_DATA ? PW_EBADCONFIG : pw_win32_err((DWORD)rc);
}

/* Config keys are plain words; anything else in the registry is rejected
 * rather than passed to the parser (a key "#x" would hide as a comment). */
static int config_key_ok(const char *k, size_t n) {
  if (n == 0 || n > CONFIG_KEY_MAX)
    return 0;
  for (size_t i = 0; i < n; i++) {
    char c = k[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
          (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
      return 0;
  }
  return 1;
}

/* A port name as a key name: never a path (no '\'), bounded. */
static int port_key_name(const char *name, WCHAR **out) {
  size_t units = 0;
  *out = NULL;
  if (!name || !*name || strchr(name, '\\'))
    return PW_EBADNAME;
  int rc = pwm_utf8_to_wide(name, out, &units);
  if (rc == PW_OK && units >= KEY_NAME_MAX) {
    free(*out);
    *out = NULL;
    rc = PW_ENAMETOOLONG;
  }
  return rc == PW_EBADDATA ? PW_EBADNAME : rc;
}

/* Open (or create) Ports\<name>; *ports and *key must be closed. */
static LONG open_port_key(pwm_store *st, const WCHAR *wname, int create,
                          HANDLE *ports, HANDLE *key) {
  *key = NULL;
  LONG rc = create ? pwm_reg_create(&st->reg, st->reg.root, PORTS_KEY, ports)
                   : pwm_reg_open(&st->reg, st->reg.root, PORTS_KEY, ports);
  if (rc != ERROR_SUCCESS)
    return rc;
  rc = create ? pwm_reg_create(&st->reg, *ports, wname, key)
              : pwm_reg_open(&st->reg, *ports, wname, key);
  return rc;
}

/* ---- list ---- */

typedef struct name_list {
  char **v;
  size_t n, cap;
} name_list;

static int name_list_add(name_list *l, char *s) {
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 16;
    char **v = realloc(l->v, cap * sizeof *v);
    if (!v)
      return PW_ENOMEM;
    l->v = v;
    l->cap = cap;
  }
  l->v[l->n++] = s;
  return PW_OK;
}

static int collect_port_names(pwm_store *st, name_list *names) {
  HANDLE ports;
  LONG lrc = pwm_reg_open(&st->reg, st->reg.root, PORTS_KEY, &ports);
  if (lrc == ERROR_FILE_NOT_FOUND)
    return PW_OK;
  if (lrc != ERROR_SUCCESS)
    return reg_err(lrc);
  int rc = PW_OK;
  for (DWORD i = 0; rc == PW_OK; i++) {
    WCHAR name[KEY_NAME_MAX];
    DWORD cch = KEY_NAME_MAX;
    char *utf8 = NULL;
    lrc = pwm_reg_enum_key(&st->reg, ports, i, name, &cch);
    if (lrc == ERROR_NO_MORE_ITEMS)
      break;
    if (lrc == ERROR_MORE_DATA)
      continue; /* cannot be a valid port name */
    if (lrc != ERROR_SUCCESS) {
      rc = reg_err(lrc);
      break;
    }
    int crc = pwm_wide_to_utf8(name, KEY_NAME_MAX, &utf8);
    if (crc == PW_ENOMEM)
      rc = crc;
    else if (crc == PW_OK && (rc = name_list_add(names, utf8)) != PW_OK)
      free(utf8);
  }
  pwm_reg_close(&st->reg, ports);
  return rc;
}

static int store_list_ports(void *ctx, int (*cb)(void *arg, const char *name),
                            void *arg) {
  pwm_store *st = ctx;
  name_list names = {0};
  AcquireSRWLockShared(&st->lock);
  int rc = collect_port_names(st, &names);
  ReleaseSRWLockShared(&st->lock);
  /* Call back without the lock or an open key: cb may use the store. */
  for (size_t i = 0; rc == PW_OK && i < names.n; i++)
    if (cb(arg, names.v[i]) != 0)
      break;
  for (size_t i = 0; i < names.n; i++)
    free(names.v[i]);
  free(names.v);
  return rc;
}

/* ---- read ---- */

/* Append "key=value\n" to text (capacity PW_MAX_CONFIG_TEXT + 1). */
static int append_line(char *text, size_t *len, const char *key,
                       const char *value) {
  size_t kl = strlen(key), vl = strlen(value);
  if (!config_key_ok(key, kl) || strpbrk(value, "\r\n"))
    return PW_EBADCONFIG;
  if (kl + vl + 2 > PW_MAX_CONFIG_TEXT - *len)
    return PW_EBADCONFIG;
  memcpy(text + *len, key, kl);
  text[*len + kl] = '=';
  memcpy(text + *len + kl + 1, value, vl);
  text[*len + kl + 1 + vl] = '\n';
  *len += kl + vl + 2;
  text[*len] = '\0';
  return PW_OK;
}

/* REG_SZ data must be terminated inside cb; returns the string or NULL. */
static const WCHAR *sz_data(DWORD type, const BYTE *data, DWORD cb) {
  size_t units = cb / sizeof(WCHAR);
  if (type != REG_SZ || cb % sizeof(WCHAR) || units == 0)
    return NULL;
  const WCHAR *s = (const WCHAR *)(const void *)data;
  return wcsnlen(s, units) < units ? s : NULL;
}

/* The Config value: PW_ENOENT if the port has none (the old layout). */
static int read_config_value(pwm_store *st, HANDLE key, BYTE *data,
                             DWORD data_cap, char **text) {
  DWORD type = 0, cb = data_cap;
  char *utf8 = NULL;
  LONG lrc = pwm_reg_query_value(&st->reg, key, CONFIG_VALUE, &type, data, &cb);
  if (lrc == ERROR_FILE_NOT_FOUND)
    return PW_ENOENT;
  if (lrc != ERROR_SUCCESS)
    return reg_err(lrc); /* too big for any config: PW_EBADCONFIG */
  const WCHAR *w = sz_data(type, data, cb);
  if (!w)
    return PW_EBADCONFIG;
  int rc = pwm_wide_to_utf8(w, cb / sizeof(WCHAR), &utf8);
  if (rc != PW_OK)
    return rc == PW_ENOMEM ? rc : PW_EBADCONFIG;
  if (strlen(utf8) > PW_MAX_CONFIG_TEXT) {
    free(utf8);
    return PW_EBADCONFIG;
  }
  *text = utf8;
  return PW_OK;
}

/* The previous release's layout: one REG_SZ value per config line. */
static int read_legacy_values(pwm_store *st, HANDLE key, BYTE *data,
                              DWORD data_cap, char *text) {
  size_t len = 0;
  text[0] = '\0';
  for (DWORD i = 0; i < VALUES_MAX; i++) {
    WCHAR wkey[CONFIG_KEY_MAX + 1];
    DWORD cch = CONFIG_KEY_MAX + 1, type = 0, cb = data_cap;
    char *k = NULL, *v = NULL;
    LONG lrc =
        pwm_reg_enum_value(&st->reg, key, i, wkey, &cch, &type, data, &cb);
    if (lrc == ERROR_NO_MORE_ITEMS)
      return PW_OK;
    if (lrc != ERROR_SUCCESS)
      return reg_err(lrc);
    if (cch == 0)
      continue; /* a key's unnamed default value is not ours */
    const WCHAR *wvalue = sz_data(type, data, cb);
    if (!wvalue)
      return PW_EBADCONFIG;
    int rc = pwm_wide_to_utf8(wkey, CONFIG_KEY_MAX + 1, &k);
    if (rc == PW_OK)
      rc = pwm_wide_to_utf8(wvalue, cb / sizeof(WCHAR), &v);
    if (rc == PW_OK)
      rc = append_line(text, &len, k, v);
    free(k);
    free(v);
    if (rc != PW_OK)
      return rc == PW_ENOMEM ? rc : PW_EBADCONFIG;
  }
  return PW_EBADCONFIG; /* more values than any config has */
}

static int store_read_port(void *ctx, const char *name, char **text) {
  pwm_store *st = ctx;
  WCHAR *wname = NULL;
  HANDLE ports = NULL, key = NULL;
  /* UTF-16 text of PW_MAX_CONFIG_TEXT UTF-8 bytes has at most as many
   * units; one more for the terminator. */
  DWORD data_cap = (PW_MAX_CONFIG_TEXT + 1) * sizeof(WCHAR);
  BYTE *data = NULL;
  char *buf = NULL;
  *text = NULL;
  int rc = port_key_name(name, &wname);
  if (rc != PW_OK)
    return rc == PW_EBADNAME || rc == PW_ENAMETOOLONG ? PW_ENOENT : rc;
  data = malloc(data_cap);
  buf = malloc(PW_MAX_CONFIG_TEXT + 1);
  if (!data || !buf) {
    rc = PW_ENOMEM;
    goto done;
  }
  AcquireSRWLockShared(&st->lock);
  LONG lrc = open_port_key(st, wname, 0, &ports, &key);
  if (lrc == ERROR_SUCCESS) {
    /* Config if there is one, else the old layout. */
    rc = read_config_value(st, key, data, data_cap, text);
    if (rc == PW_ENOENT &&
        (rc = read_legacy_values(st, key, data, data_cap, buf)) == PW_OK) {
      *text = buf;
      buf = NULL;
    }
  } else {
    rc = reg_err(lrc);
  }
  pwm_reg_close(&st->reg, key);
  pwm_reg_close(&st->reg, ports);
  ReleaseSRWLockShared(&st->lock);
done:
  free(wname);
  free(data);
  free(buf);
  return rc;
}

/* ---- write ---- */

/* Remove every named value but Config: the old layout's lines and anything
 * else a port key should not hold. Names only are enumerated, never data,
 * so no value's size can make a write fail. Best effort: Config is already
 * written and is what every reader prefers, so a value that cannot be
 * removed does not fail the write. */
static void remove_other_values(pwm_store *st, HANDLE key) {
  for (DWORD i = 0, seen = 0; seen < VALUES_MAX; seen++) {
    WCHAR name[KEY_NAME_MAX];
    DWORD cch = KEY_NAME_MAX;
    LONG rc =
        pwm_reg_enum_value(&st->reg, key, i, name, &cch, NULL, NULL, NULL);
    if (rc == ERROR_MORE_DATA) { /* a name longer than any of ours */
      i++;
      continue;
    }
    if (rc != ERROR_SUCCESS)
      return; /* ERROR_NO_MORE_ITEMS, or nothing more we can do */
    if (cch == 0 || _wcsicmp(name, CONFIG_VALUE) == 0 ||
        pwm_reg_delete_value(&st->reg, key, name) != ERROR_SUCCESS)
      i++; /* kept: look at the next index; deleted: index i is next */
  }
}

/* ---- change stamp ---- */

/* After a port's entry changed (store lock held): a new stamp, so monitors
 * in other processes re-read their ports (pw_store.read_stamp). Best
 * effort: the change itself is made, and a stamp that did not move only
 * delays other processes until the next one. */
static void bump_stamp(pwm_store *st) {
  uint64_t v = 0;
  WCHAR text[17];
  while (v == 0 && pw_random_bytes(&v, sizeof v) == PW_OK) {
  }
  for (int i = 15; i >= 0; i--) {
    text[i] = L"0123456789abcdef"[v & 0xFu];
    v >>= 4;
  }
  text[16] = 0;
  (void)pwm_reg_set_sz(&st->reg, st->reg.root, STAMP_VALUE, text);
}

static int store_read_stamp(void *ctx, uint64_t *stamp) {
  pwm_store *st = ctx;
  BYTE data[18 * sizeof(WCHAR)];
  DWORD type = 0, cb = sizeof data;
  *stamp = 0;
  AcquireSRWLockShared(&st->lock);
  LONG lrc = pwm_reg_query_value(&st->reg, st->reg.root, STAMP_VALUE, &type,
                                 data, &cb);
  ReleaseSRWLockShared(&st->lock);
  if (lrc != ERROR_SUCCESS)
    return PW_OK; /* none yet (or unreadable): 0, "read the entry" */
  const WCHAR *w = sz_data(type, data, cb);
  if (!w || wcslen(w) != 16)
    return PW_OK;
  uint64_t v = 0;
  for (int i = 0; i < 16; i++) {
    WCHAR c = w[i];
    unsigned d = c >= L'0' && c <= L'9'   ? (unsigned)(c - L'0')
                 : c >= L'a' && c <= L'f' ? (unsigned)(c - L'a' + 10)
                                          : 16u;
    if (d > 15)
      return PW_OK; /* not ours: treat as unknown */
    v = (v << 4) | d;
  }
  *stamp = v;
  return PW_OK;
}

static int store_write_port(void *ctx, const char *name, const char *text) {
  pwm_store *st = ctx;
  WCHAR *wname = NULL, *wtext = NULL;
  HANDLE ports = NULL, key = NULL;
  if (!text)
    text = "";
  /* Never write what the read side would refuse. */
  if (strlen(text) > PW_MAX_CONFIG_TEXT)
    return PW_EINVAL;
  int rc = port_key_name(name, &wname);
  if (rc == PW_OK) {
    rc = pwm_utf8_to_wide(text, &wtext, NULL);
    if (rc == PW_EBADDATA)
      rc = PW_EINVAL;
  }
  if (rc != PW_OK) {
    free(wname);
    free(wtext);
    return rc;
  }
  AcquireSRWLockExclusive(&st->lock);
  LONG lrc = open_port_key(st, wname, 1, &ports, &key);
  if (lrc == ERROR_SUCCESS)
    lrc = pwm_reg_set_sz(&st->reg, key, CONFIG_VALUE, wtext);
  if (lrc == ERROR_SUCCESS)
    remove_other_values(st, key);
  pwm_reg_close(&st->reg, key);
  pwm_reg_close(&st->reg, ports);
  if (lrc == ERROR_SUCCESS)
    bump_stamp(st);
  ReleaseSRWLockExclusive(&st->lock);
  free(wtext);
  free(wname);
  return lrc == ERROR_SUCCESS ? PW_OK : pw_win32_err((DWORD)lrc);
}

static int store_delete_port(void *ctx, const char *name) {
  pwm_store *st = ctx;
  WCHAR *wname = NULL;
  HANDLE ports = NULL;
  int rc = port_key_name(name, &wname);
  if (rc != PW_OK)
    return rc == PW_EBADNAME || rc == PW_ENAMETOOLONG ? PW_ENOENT : rc;
  AcquireSRWLockExclusive(&st->lock);
  LONG lrc = pwm_reg_open(&st->reg, st->reg.root, PORTS_KEY, &ports);
  if (lrc == ERROR_SUCCESS)
    lrc = pwm_reg_delete_tree(&st->reg, ports, wname);
  pwm_reg_close(&st->reg, ports);
  if (lrc == ERROR_SUCCESS)
    bump_stamp(st);
  ReleaseSRWLockExclusive(&st->lock);
  free(wname);
  return lrc == ERROR_SUCCESS ? PW_OK : pw_win32_err((DWORD)lrc);
}

/* ---- monitor-wide settings ---- */

static int store_read_setting(void *ctx, const char *key, char **value) {
  pwm_store *st = ctx;
  WCHAR *wkey = NULL;
  BYTE data[(SETTING_MAX + 1) * sizeof(WCHAR)];
  DWORD type = 0, cb = sizeof data;
  *value = NULL;
  int rc = pwm_utf8_to_wide(key, &wkey, NULL);
  if (rc != PW_OK)
    return rc;
  AcquireSRWLockShared(&st->lock);
  LONG lrc =
      pwm_reg_query_value(&st->reg, st->reg.root, wkey, &type, data, &cb);
  ReleaseSRWLockShared(&st->lock);
  free(wkey);
  if (lrc != ERROR_SUCCESS)
    return reg_err(lrc);
  const WCHAR *s = sz_data(type, data, cb);
  if (!s)
    return PW_EBADCONFIG;
  rc = pwm_wide_to_utf8(s, cb / sizeof(WCHAR), value);
  return rc == PW_EBADDATA ? PW_EBADCONFIG : rc;
}

static int store_write_setting(void *ctx, const char *key, const char *value) {
  pwm_store *st = ctx;
  WCHAR *wkey = NULL, *wvalue = NULL;
  int rc = pwm_utf8_to_wide(key, &wkey, NULL);
  if (rc == PW_OK)
    rc = pwm_utf8_to_wide(value, &wvalue, NULL);
  if (rc == PW_OK) {
    AcquireSRWLockExclusive(&st->lock);
    LONG lrc = pwm_reg_set_sz(&st->reg, st->reg.root, wkey, wvalue);
    ReleaseSRWLockExclusive(&st->lock);
    rc = lrc == ERROR_SUCCESS ? PW_OK : pw_win32_err((DWORD)lrc);
  }
  free(wkey);
  free(wvalue);
  return rc;
}

/* ---- lifetime ---- */

/* The core calls this when the monitor's memory goes (pw_store.release). */
static void store_release(void *ctx) {
  pwm_store_close(ctx);
}

DWORD pwm_store_open(const MONITORINIT *init, pwm_store **out) {
  *out = NULL;
  pwm_store *st = calloc(1, sizeof *st);
  if (!st)
    return ERROR_NOT_ENOUGH_MEMORY;
  LONG rc = pwm_reg_open_root(init, &st->reg);
  if (rc != ERROR_SUCCESS) {
    free(st);
    return (DWORD)rc;
  }
  InitializeSRWLock(&st->lock);
  st->iface.ctx = st;
  st->iface.list_ports = store_list_ports;
  st->iface.read_port = store_read_port;
  st->iface.write_port = store_write_port;
  st->iface.delete_port = store_delete_port;
  st->iface.read_stamp = store_read_stamp;
  st->iface.read_setting = store_read_setting;
  st->iface.write_setting = store_write_setting;
  st->iface.release = store_release;
  *out = st;
  return ERROR_SUCCESS;
}

void pwm_store_close(pwm_store *st) {
  if (!st)
    return;
  pwm_reg_close_root(&st->reg);
  free(st);
}

const pw_store *pwm_store_iface(pwm_store *st) {
  return &st->iface;
}

int pwm_store_is_fallback(const pwm_store *st) {
  return st->reg.win32;
}

const WCHAR *pwm_store_monitor_name(const pwm_store *st) {
  return st->reg.name[0] ? st->reg.name : PWM_MONITOR_NAME_W;
}
