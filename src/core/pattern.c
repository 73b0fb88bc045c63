/* portway — output filename patterns (see portway/pattern.h). */
#include "core/errbuf.h"
#include "portway/pattern.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "filename.h"
#include "portway/config.h"
#include "portway/error.h"
#include "utf8_decode.h"

typedef enum token_id {
  TOK_JOB,
  TOK_DOC,
  TOK_USER,
  TOK_MACHINE,
  TOK_PRINTER,
  TOK_PORT,
  TOK_DATE,
  TOK_TIME,
  TOK_YEAR,
  TOK_MONTH,
  TOK_DAY,
  TOK_HOUR,
  TOK_MINUTE,
  TOK_SECOND,
  TOK_N
} token_id;

typedef struct token_def {
  const char *name;
  token_id id;
  size_t max_bytes; /* longest substitution; 0 for text (bounded apart) */
} token_def;

#define UINT32_DIGITS 10

static const token_def tokens[] = {
    {"job", TOK_JOB, UINT32_DIGITS},
    {"doc", TOK_DOC, 0},
    {"user", TOK_USER, 0},
    {"machine", TOK_MACHINE, 0},
    {"printer", TOK_PRINTER, 0},
    {"port", TOK_PORT, 0},
    {"date", TOK_DATE, 8},
    {"time", TOK_TIME, 6},
    {"year", TOK_YEAR, 4},
    {"month", TOK_MONTH, 2},
    {"day", TOK_DAY, 2},
    {"hour", TOK_HOUR, 2},
    {"minute", TOK_MINUTE, 2},
    {"second", TOK_SECOND, 2},
    {"n", TOK_N, UINT32_DIGITS},
};

/* Room the expansion reserves beyond the pattern's own pieces: the "-N"
 * collision suffix (when there is no {n}) and the '_' that defuses a name
 * that happens to spell a DOS device ("COM{n}" -> "COM1"). */
#define COLLISION_SUFFIX_MAX (1 + UINT32_DIGITS)
#define DEVICE_PREFIX 1
/* Text values ({doc}, {user}, ...) share what the rest of the pattern
 * leaves of PW_MAX_FILENAME, up to PW_MAX_COMPONENT each; a pattern that
 * would leave each of them fewer bytes than this is rejected. */
#define MIN_COMPONENT 8

/* One piece of a pattern: literal bytes or a token. */
typedef struct piece {
  int is_token;
  const token_def *tok;
  const char *lit; /* literal bytes (for "{{" / "}}" one brace) */
  size_t lit_len;
} piece;

static const token_def *find_token(const char *name, size_t len) {
  for (size_t i = 0; i < sizeof tokens / sizeof tokens[0]; i++) {
    if (strlen(tokens[i].name) == len && memcmp(tokens[i].name, name, len) == 0)
      return &tokens[i];
  }
  return NULL;
}

/* Read the piece at *p and advance. Returns 1 for a piece, 0 at the end,
 * PW_EBADCONFIG (with a reason) on a syntax error. */
static int next_piece(const char **p, piece *pc, char *errbuf, size_t errlen) {
  const char *s = *p;
  memset(pc, 0, sizeof *pc);
  if (*s == '\0')
    return 0;
  if (s[0] == '{' && s[1] == '{') {
    pc->lit = s;
    pc->lit_len = 1;
    *p = s + 2;
    return 1;
  }
  if (s[0] == '}') {
    if (s[1] != '}') {
      pw_errbuf_printf(errbuf, errlen, "unbalanced '}' in pattern");
      return PW_EBADCONFIG;
    }
    pc->lit = s;
    pc->lit_len = 1;
    *p = s + 2;
    return 1;
  }
  if (s[0] == '{') {
    size_t len = strcspn(s + 1, "{}");
    if (s[1 + len] != '}') {
      pw_errbuf_printf(errbuf, errlen, "unbalanced '{' in pattern");
      return PW_EBADCONFIG;
    }
    pc->tok = find_token(s + 1, len);
    if (!pc->tok) {
      pw_errbuf_printf(errbuf, errlen, "unknown token {%.*s} in pattern",
                       (int)(len > 32 ? 32 : len), s + 1);
      return PW_EBADCONFIG;
    }
    pc->is_token = 1;
    *p = s + len + 2;
    return 1;
  }
  /* A run of literal text up to the next brace; each character checked. */
  size_t len = strcspn(s, "{}");
  for (size_t i = 0; i < len;) {
    uint32_t cp;
    size_t n = pw_utf8_decode(s + i, len - i, &cp);
    if (n == 0) {
      pw_errbuf_printf(errbuf, errlen, "pattern is not valid UTF-8");
      return PW_EBADCONFIG;
    }
    if (pw_filename_char_forbidden(cp)) {
      if (cp >= 0x20 && cp < 0x7f)
        pw_errbuf_printf(errbuf, errlen,
                         "character '%c' not allowed in pattern", (char)cp);
      else
        pw_errbuf_printf(errbuf, errlen,
                         "control character not allowed in pattern");
      return PW_EBADCONFIG;
    }
    i += n;
  }
  pc->lit = s;
  pc->lit_len = len;
  *p = s + len;
  return 1;
}

/* Full check. *has_n tells whether {n} occurs, *text_max how many bytes
 * each text value may take so that the worst case fits PW_MAX_FILENAME. */
static int pattern_check(const char *pattern, int *has_n, size_t *text_max,
                         char *errbuf, size_t errlen) {
  if (!pattern) {
    pw_errbuf_printf(errbuf, errlen, "no pattern");
    return PW_EINVAL;
  }
  size_t plen = strlen(pattern);
  if (plen == 0) {
    pw_errbuf_printf(errbuf, errlen, "empty pattern");
    return PW_EBADCONFIG;
  }
  if (plen > PW_MAX_PATTERN) {
    pw_errbuf_printf(errbuf, errlen, "pattern longer than %u bytes",
                     (unsigned)PW_MAX_PATTERN);
    return PW_EBADCONFIG;
  }
  size_t fixed = DEVICE_PREFIX, texts = 0;
  int n_seen = 0, first = 1;
  piece pc, last = {0};
  const char *p = pattern;
  int rc;
  while ((rc = next_piece(&p, &pc, errbuf, errlen)) == 1) {
    if (pc.is_token) {
      fixed += pc.tok->max_bytes;
      texts += pc.tok->max_bytes == 0;
      n_seen |= pc.tok->id == TOK_N;
    } else {
      fixed += pc.lit_len;
      if (first && pw_is_dot_or_space(pc.lit[0])) {
        pw_errbuf_printf(errbuf, errlen,
                         "pattern must not start with a dot or space");
        return PW_EBADCONFIG;
      }
    }
    first = 0;
    last = pc;
  }
  if (rc < 0)
    return rc;
  if (!last.is_token && last.lit_len > 0 &&
      pw_is_dot_or_space(last.lit[last.lit_len - 1])) {
    pw_errbuf_printf(errbuf, errlen,
                     "pattern must not end with a dot or space");
    return PW_EBADCONFIG;
  }
  if (!n_seen)
    fixed += COLLISION_SUFFIX_MAX;
  size_t room = fixed < PW_MAX_FILENAME ? PW_MAX_FILENAME - fixed : 0;
  size_t each = texts ? room / texts : PW_MAX_COMPONENT;
  if (fixed > PW_MAX_FILENAME || each < MIN_COMPONENT) {
    pw_errbuf_printf(errbuf, errlen, "pattern can expand to more than %u bytes",
                     (unsigned)PW_MAX_FILENAME);
    return PW_EBADCONFIG;
  }
  *has_n = n_seen;
  *text_max = each < PW_MAX_COMPONENT ? each : PW_MAX_COMPONENT;
  return PW_OK;
}

int pw_pattern_validate(const char *pattern, char *errbuf, size_t errlen) {
  int has_n;
  size_t text_max;
  return pattern_check(pattern, &has_n, &text_max, errbuf, errlen);
}

/* Bounded string builder; overflow is remembered, never silent. */
typedef struct sbuf {
  char *buf;
  size_t cap, len;
  int overflow;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n) {
  if (b->overflow || n >= b->cap - b->len) {
    b->overflow = 1;
    return;
  }
  memcpy(b->buf + b->len, s, n);
  b->len += n;
  b->buf[b->len] = '\0';
}

static int clamp(int v, int lo, int hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

static void expand_token(sbuf *b, const token_def *t, const pw_pattern_vars *v,
                         unsigned attempt, size_t text_max) {
  char tmp[PW_MAX_COMPONENT + 1];
  const char *text = NULL;
  int is_text = 0;
  int y = clamp(v->year, 0, 9999), mo = clamp(v->month, 0, 99);
  int d = clamp(v->day, 0, 99), h = clamp(v->hour, 0, 99);
  int mi = clamp(v->minute, 0, 99), s = clamp(v->second, 0, 99);
  switch (t->id) {
  case TOK_JOB:
    snprintf(tmp, sizeof tmp, "%lu", (unsigned long)v->job_id);
    break;
  case TOK_N:
    snprintf(tmp, sizeof tmp, "%u", attempt);
    break;
  case TOK_DOC:
    text = v->doc;
    is_text = 1;
    break;
  case TOK_USER:
    text = v->user;
    is_text = 1;
    break;
  case TOK_MACHINE:
    text = v->machine;
    is_text = 1;
    break;
  case TOK_PRINTER:
    text = v->printer;
    is_text = 1;
    break;
  case TOK_PORT:
    text = v->port;
    is_text = 1;
    break;
  case TOK_DATE:
    snprintf(tmp, sizeof tmp, "%04d%02d%02d", y, mo, d);
    break;
  case TOK_TIME:
    snprintf(tmp, sizeof tmp, "%02d%02d%02d", h, mi, s);
    break;
  case TOK_YEAR:
    snprintf(tmp, sizeof tmp, "%04d", y);
    break;
  case TOK_MONTH:
    snprintf(tmp, sizeof tmp, "%02d", mo);
    break;
  case TOK_DAY:
    snprintf(tmp, sizeof tmp, "%02d", d);
    break;
  case TOK_HOUR:
    snprintf(tmp, sizeof tmp, "%02d", h);
    break;
  case TOK_MINUTE:
    snprintf(tmp, sizeof tmp, "%02d", mi);
    break;
  case TOK_SECOND:
    snprintf(tmp, sizeof tmp, "%02d", s);
    break;
  }
  if (is_text)
    pw_sanitize_component(text, tmp, sizeof tmp, text_max);
  sb_add(b, tmp, strlen(tmp));
}

/* Insert "-N" before the last extension ("a.prn" -> "a-2.prn"). */
static void add_collision_suffix(sbuf *b, unsigned attempt) {
  char suffix[COLLISION_SUFFIX_MAX + 1];
  int n = snprintf(suffix, sizeof suffix, "-%u", attempt);
  size_t slen = (size_t)n;
  char *dot = strrchr(b->buf, '.');
  size_t at = (dot && dot != b->buf) ? (size_t)(dot - b->buf) : b->len;
  if (b->overflow || slen >= b->cap - b->len) {
    b->overflow = 1;
    return;
  }
  memmove(b->buf + at + slen, b->buf + at, b->len - at + 1);
  memcpy(b->buf + at, suffix, slen);
  b->len += slen;
}

int pw_pattern_expand(const char *pattern, const pw_pattern_vars *vars,
                      unsigned attempt, char *out, size_t cap) {
  if (!out || cap == 0 || !vars || attempt == 0)
    return PW_EINVAL;
  out[0] = '\0';
  int has_n;
  size_t text_max;
  int rc = pattern_check(pattern, &has_n, &text_max, NULL, 0);
  if (rc != PW_OK)
    return rc;
  /* Validation bounds the worst case, so this buffer cannot overflow; the
   * builder still checks rather than trusting that arithmetic. */
  char name[PW_MAX_FILENAME + 2];
  sbuf b = {name, sizeof name, 0, 0};
  name[0] = '\0';
  const char *p = pattern;
  piece pc;
  while (next_piece(&p, &pc, NULL, 0) == 1) {
    if (pc.is_token)
      expand_token(&b, pc.tok, vars, attempt, text_max);
    else
      sb_add(&b, pc.lit, pc.lit_len);
  }
  if (!has_n && attempt > 1)
    add_collision_suffix(&b, attempt);
  if (!b.overflow && pw_is_dos_device_name(name, b.len)) {
    if (b.len + 1 >= b.cap) {
      b.overflow = 1;
    } else {
      memmove(name + 1, name, b.len + 1);
      name[0] = '_';
      b.len++;
    }
  }
  if (b.overflow || b.len > PW_MAX_FILENAME)
    return PW_ENAMETOOLONG;
  /* The contract is a safe name, whatever the inputs: check the result. */
  if (!pw_filename_is_safe(name))
    return PW_EBADCONFIG;
  if (b.len + 1 > cap)
    return PW_ENAMETOOLONG;
  memcpy(out, name, b.len + 1);
  return PW_OK;
}
