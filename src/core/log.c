/* portway — the monitor log (see log.h).
 *
 * Every line is formatted completely into a stack buffer and handed to the
 * OS in one append write: with O_APPEND / FILE_APPEND_DATA that keeps lines
 * whole even when several processes (Wine loads the monitor into each client
 * process) write the same file. The mutex orders threads of one process.
 */
#include "core/log.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ascii.h"
#include "core/strutil.h"
#include "core/utf8_decode.h"
#include "platform/platform.h"
#include "portway/error.h"

#define PW_LOG_LINE_MAX 2048 /* bytes per line, newline included */
#define PW_LOG_ROTATE_BYTES ((uint64_t)8 * 1024 * 1024)
/* A long-lived process (spoolsv) checks the size again after this many bytes
 * of its own lines, so the log also rotates without a restart. */
#define PW_LOG_RECHECK_BYTES ((uint64_t)64 * 1024)

struct pw_log {
  pw_mutex mu; /* guards f and since_check */
  pw_file *f;  /* NULL: lines are discarded */
  uint64_t since_check;
  atomic_int level; /* read without the lock on every call */
  char *path;
};

static pw_log_level clamp_level(pw_log_level level) {
  if ((int)level < (int)PW_LOG_OFF)
    return PW_LOG_OFF;
  if ((int)level > (int)PW_LOG_DEBUG)
    return PW_LOG_DEBUG;
  return level;
}

/* Move a full log to "<path>.1", replacing an older one. Best effort: if two
 * processes rotate at the same moment one of them may discard the other's
 * fresh file; losing old lines is acceptable, stopping the monitor is not. */
static void rotate(const char *path) {
  size_t n = strlen(path);
  char *old = malloc(n + 3);
  if (!old)
    return;
  memcpy(old, path, n);
  memcpy(old + n, ".1", 3);
  if (pw_file_rename_noreplace(path, old) == PW_EEXIST) {
    pw_file_remove(old);
    pw_file_rename_noreplace(path, old);
  }
  free(old);
}

/* Open log->path for appending, rotating it first if it is too big. */
static int open_file(pw_log *log) {
  pw_file *f;
  int err = pw_file_open_append(log->path, &f);
  if (err != PW_OK)
    return err;
  uint64_t size;
  if (pw_file_size(f, &size) == PW_OK && size > PW_LOG_ROTATE_BYTES) {
    pw_file_close(f);
    rotate(log->path);
    err = pw_file_open_append(log->path, &f);
    if (err != PW_OK)
      return err;
  }
  log->f = f;
  log->since_check = 0;
  return PW_OK;
}

int pw_log_open(const char *path, pw_log_level level, pw_log **out) {
  if (!out)
    return PW_EINVAL;
  *out = NULL;
  pw_log *log = calloc(1, sizeof *log);
  if (!log)
    return PW_ENOMEM;
  log->path = pw_strdup(path ? path : "");
  if (!log->path) {
    free(log);
    return PW_ENOMEM;
  }
  pw_mutex_init(&log->mu);
  atomic_init(&log->level, (int)clamp_level(level));
  *out = log; /* from here on the caller always gets a usable log */
  if (!path || !*path)
    return PW_EINVAL;
  return open_file(log);
}

void pw_log_close(pw_log *log) {
  if (!log)
    return;
  pw_file_close(log->f);
  pw_mutex_destroy(&log->mu);
  free(log->path);
  free(log);
}

void pw_log_set_level(pw_log *log, pw_log_level level) {
  if (log)
    atomic_store(&log->level, (int)clamp_level(level));
}

pw_log_level pw_log_get_level(const pw_log *log) {
  if (!log)
    return PW_LOG_OFF;
  /* atomic_load takes a non-const pointer in C11. */
  return (pw_log_level)atomic_load(&((pw_log *)log)->level);
}

const char *pw_log_path(const pw_log *log) {
  return log ? log->path : "";
}

static const char *line_label(pw_log_level level) {
  switch (level) {
  case PW_LOG_ERROR:
    return "ERROR";
  case PW_LOG_WARN:
    return "WARN";
  case PW_LOG_INFO:
    return "INFO";
  case PW_LOG_DEBUG:
    return "DEBUG";
  default:
    return "?";
  }
}

/* Append msg[0..n) to line at *pos, escaping control characters, within
 * PW_LOG_LINE_MAX - 1 bytes (the newline). If it does not all fit, cut at a
 * character boundary and mark the cut with "...". */
static void append_escaped(char *line, size_t *pos, const char *msg, size_t n,
                           int already_cut) {
  static const char hex[] = "0123456789abcdef";
  const size_t room = PW_LOG_LINE_MAX - 1;
  const size_t cut_room = room - 3; /* "..." */
  size_t p = *pos, cut = *pos;
  int complete = 1;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)msg[i];
    /* Never cut inside a UTF-8 sequence or an escape. */
    if ((c & 0xC0) != 0x80 && p <= cut_room)
      cut = p;
    char esc[4];
    size_t len = 0;
    if (c == '\n') {
      esc[len++] = '\\';
      esc[len++] = 'n';
    } else if (c == '\r') {
      esc[len++] = '\\';
      esc[len++] = 'r';
    } else if (c == '\t') {
      esc[len++] = '\\';
      esc[len++] = 't';
    } else if (c < 0x20 || c == 0x7f) {
      esc[len++] = '\\';
      esc[len++] = 'x';
      esc[len++] = hex[c >> 4];
      esc[len++] = hex[c & 15];
    } else {
      esc[len++] = (char)c;
    }
    if (p + len > room) {
      complete = 0;
      break;
    }
    memcpy(line + p, esc, len);
    p += len;
  }
  if (!complete || already_cut) {
    p = cut;
    memcpy(line + p, "...", 3);
    p += 3;
  }
  *pos = p;
}

/* Lets -Wformat-nonliteral see that fmt is checked at the callers. */
#if defined(__GNUC__)
void pw_log_vwrite(pw_log *log, pw_log_level level, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
#endif

void pw_log_vwrite(pw_log *log, pw_log_level level, const char *fmt,
                   va_list ap) {
  if (!log || !fmt || level <= PW_LOG_OFF || level > PW_LOG_DEBUG ||
      (int)level > atomic_load(&log->level))
    return;

  char msg[PW_LOG_LINE_MAX];
  int m = vsnprintf(msg, sizeof msg, fmt, ap);
  size_t msg_len;
  int msg_cut = 0;
  if (m < 0) {
    msg_len = (size_t)snprintf(msg, sizeof msg, "(unformattable message)");
  } else if ((size_t)m >= sizeof msg) {
    msg_len = sizeof msg - 1;
    msg_cut = 1;
  } else {
    msg_len = (size_t)m;
  }

  pw_localtime t;
  pw_time_local(&t);
  char line[PW_LOG_LINE_MAX];
  int h = snprintf(line, sizeof line,
                   "%04d-%02d-%02d %02d:%02d:%02d.%03d pid=%lu %-5s ", t.year,
                   t.month, t.day, t.hour, t.minute, t.second, t.millisecond,
                   pw_process_id(), line_label(level));
  if (h < 0 || (size_t)h >= sizeof line / 2)
    return; /* cannot happen with sane clock values; never write garbage */
  size_t pos = (size_t)h;
  append_escaped(line, &pos, msg, msg_len, msg_cut);
  /* append_escaped stops one byte short of the end, so the newline fits
   * (cppcheck cannot see that bound through the call). */
  /* cppcheck-suppress arrayIndexOutOfBoundsCond */
  line[pos++] = '\n';

  pw_mutex_lock(&log->mu);
  if (log->f && pw_file_write_all(log->f, line, pos) == PW_OK) {
    log->since_check += pos;
    if (log->since_check >= PW_LOG_RECHECK_BYTES) {
      uint64_t size;
      log->since_check = 0;
      if (pw_file_size(log->f, &size) == PW_OK && size > PW_LOG_ROTATE_BYTES) {
        pw_file_close(log->f);
        log->f = NULL;
        open_file(log); /* rotates; on failure later lines are discarded */
      }
    }
  }
  pw_mutex_unlock(&log->mu);
}

void pw_log_write(pw_log *log, pw_log_level level, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  pw_log_vwrite(log, level, fmt, ap);
  va_end(ap);
}

/* ---- escaping values for a log field ---- */

/* Output of the field escapers: whole pieces (a character or an escape) go
 * in or not at all; `mark` is the last end of a piece after which "..." and
 * the NUL still fit, where a cut goes. */
typedef struct field_out {
  char *buf;
  size_t cap; /* NUL included */
  size_t pos;
  size_t mark;
  int cut;
} field_out;

static void put(field_out *o, const char *piece, size_t len) {
  if (o->cut)
    return;
  if (len >= o->cap - o->pos) { /* piece + NUL do not fit */
    o->cut = 1;
    return;
  }
  memcpy(o->buf + o->pos, piece, len);
  o->pos += len;
  if (o->cap - o->pos >= 4)
    o->mark = o->pos;
}

static const char hex_digits[] = "0123456789abcdef";

static void put_hex_byte(field_out *o, unsigned char c) {
  char esc[4] = {'\\', 'x', hex_digits[c >> 4], hex_digits[c & 15]};
  put(o, esc, sizeof esc);
}

/* \uXXXX for a code point below U+10000. */
static void put_u_escape(field_out *o, uint32_t cp) {
  char esc[6] = {'\\',
                 'u',
                 hex_digits[(cp >> 12) & 15],
                 hex_digits[(cp >> 8) & 15],
                 hex_digits[(cp >> 4) & 15],
                 hex_digits[cp & 15]};
  put(o, esc, sizeof esc);
}

/* Escape s[0..n) into o; `semicolon` also escapes ';' (config text). */
static void put_escaped(field_out *o, const char *s, size_t n, int semicolon) {
  for (size_t i = 0; i < n && !o->cut;) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') {
      char esc[2] = {'\\', (char)c};
      put(o, esc, 2);
    } else if (c == '\n') {
      put(o, "\\n", 2);
    } else if (c == '\r') {
      put(o, "\\r", 2);
    } else if (c == '\t') {
      put(o, "\\t", 2);
    } else if (c < 0x20 || c == 0x7f || (semicolon && c == ';')) {
      put_hex_byte(o, c);
    } else if (c < 0x80) {
      put(o, s + i, 1);
    } else {
      uint32_t cp = 0;
      size_t len = pw_utf8_decode(s + i, n - i, &cp);
      if (len == 0) {
        put_hex_byte(o, c); /* not valid UTF-8: show the byte */
      } else {
        /* C1 controls and the Unicode line/paragraph separators end a line
         * in some viewers. */
        if ((cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029)
          put_u_escape(o, cp);
        else
          put(o, s + i, len);
        i += len;
        continue;
      }
    }
    i++;
  }
}

static const char *field_finish(field_out *o) {
  if (o->cut) {
    o->pos = o->mark;
    if (o->cap - o->pos >= 4) {
      memcpy(o->buf + o->pos, "...", 3);
      o->pos += 3;
    }
  }
  o->buf[o->pos] = '\0';
  return o->buf;
}

const char *pw_log_field(char *buf, size_t cap, const char *s) {
  if (!buf || cap == 0)
    return "";
  field_out o = {buf, cap, 0, 0, 0};
  if (!s)
    put(&o, "(unknown)", 9);
  else
    put_escaped(&o, s, strlen(s), 0);
  return field_finish(&o);
}

const char *pw_log_config_text(char *buf, size_t cap, const char *text) {
  if (!buf || cap == 0)
    return "";
  field_out o = {buf, cap, 0, 0, 0};
  if (!text) {
    put(&o, "(unknown)", 9);
    return field_finish(&o);
  }
  int first = 1;
  const char *p = text;
  while (*p && !o.cut) {
    const char *nl = strchr(p, '\n');
    size_t n = nl ? (size_t)(nl - p) : strlen(p);
    size_t len = n;
    if (len > 0 && p[len - 1] == '\r')
      len--; /* CRLF */
    if (len > 0) {
      if (!first)
        put(&o, "; ", 2);
      put_escaped(&o, p, len, 1);
      first = 0;
    }
    p += n;
    if (*p == '\n')
      p++;
  }
  return field_finish(&o);
}

static const char *const level_names[] = {"off", "error", "warn", "info",
                                          "debug"};

int pw_log_level_parse(const char *text, pw_log_level *out) {
  if (!text || !out)
    return PW_EINVAL;
  for (size_t i = 0; i < sizeof level_names / sizeof level_names[0]; i++) {
    if (pw_ascii_ieq(text, level_names[i])) {
      *out = (pw_log_level)i;
      return PW_OK;
    }
  }
  return PW_EBADCONFIG;
}

const char *pw_log_level_name(pw_log_level level) {
  if ((int)level < 0 || (int)level > (int)PW_LOG_DEBUG)
    return "unknown";
  return level_names[level];
}
