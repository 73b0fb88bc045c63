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

static char *dup_string(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d)
    memcpy(d, s, n);
  return d;
}

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
  log->path = dup_string(path ? path : "");
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

static const char *const level_names[] = {"off", "error", "warn", "info",
                                          "debug"};

static int ascii_ieq(const char *a, const char *b) {
  for (; *a && *b; a++, b++) {
    char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
    if (x != *b)
      return 0;
  }
  return *a == *b;
}

int pw_log_level_parse(const char *text, pw_log_level *out) {
  if (!text || !out)
    return PW_EINVAL;
  for (size_t i = 0; i < sizeof level_names / sizeof level_names[0]; i++) {
    if (ascii_ieq(text, level_names[i])) {
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
