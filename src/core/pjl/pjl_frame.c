/* portway — PJL job framing: the job name, header and trailer, and the
 * UEL detector (pjl.h, docs/pjl.md).
 *
 * Follows HP's "Printer Job Language Technical Reference Manual":
 * chapter 2 (the UEL command, "@PJL" prefix, CR LF line ends), chapter 5
 * (JOB/EOJ: NAME is a quoted string of up to 80 characters) and chapter 7
 * (USTATUS DEVICE/JOB/PAGE=ON, TIMED=5..300, INFO STATUS). */
#include <stdio.h>
#include <string.h>

#include "core/pjl/pjl.h"
#include "core/utf8_decode.h"
#include "portway/error.h"

/* ---- the job name -------------------------------------------------------- */

static int tag_char_ok(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '.' || c == ':';
}

/* Length of a valid tag, 0 if tag is not one. */
static size_t tag_len(const char *tag) {
  if (!tag)
    return 0;
  size_t n = 0;
  for (; n <= PW_PJL_TAG_MAX && tag[n]; n++) {
    if (!tag_char_ok(tag[n]))
      return 0;
  }
  return n <= PW_PJL_TAG_MAX ? n : 0;
}

/* One character of the document name as it goes into the job name, and in
 * *adv the bytes it took. */
static char doc_char(const char *s, size_t *adv) {
  unsigned char u = (unsigned char)*s;
  if (u >= 0x20 && u <= 0x7E) {
    *adv = 1;
    return u == '"' ? '_' : (char)u;
  }
  uint32_t cp = 0;
  size_t n = u >= 0x80 ? pw_utf8_decode(s, 4, &cp) : 0;
  *adv = n ? n : 1; /* a whole UTF-8 sequence, or one stray byte */
  return '_';
}

int pw_pjl_job_name(char *out, size_t cap, size_t *needed, const char *tag,
                    uint32_t seq, const char *doc) {
  size_t tl = tag_len(tag);
  if (!out || tl == 0)
    return PW_EINVAL;
  char prefix[PW_PJL_TAG_MAX + 16];
  int pn = snprintf(prefix, sizeof prefix, "%s-%lu", tag, (unsigned long)seq);
  if (pn < 0 || (size_t)pn >= sizeof prefix)
    return PW_EINVAL;
  /* the length first, so that a short buffer is told the exact size */
  size_t len = (size_t)pn, dl = 0;
  const char *d = doc ? doc : "";
  if (*d && len + 1 < PW_PJL_NAME_MAX) {
    for (size_t i = 0, adv = 0; d[i] && len + 1 + dl < PW_PJL_NAME_MAX;
         i += adv) {
      (void)doc_char(d + i, &adv);
      dl++;
    }
  }
  size_t total = len + (dl ? 1 + dl : 0);
  if (needed)
    *needed = total + 1;
  if (cap < total + 1)
    return PW_ENOBUFS;
  memcpy(out, prefix, len);
  if (dl) {
    out[len++] = ' ';
    for (size_t i = 0, adv = 0, k = 0; k < dl; i += adv, k++)
      out[len++] = doc_char(d + i, &adv);
  }
  out[len] = '\0';
  return PW_OK;
}

int pw_pjl_job_name_seq(const char *name, const char *tag, uint32_t *seq) {
  size_t tl = tag_len(tag);
  if (!name || tl == 0 || strncmp(name, tag, tl) != 0 || name[tl] != '-')
    return 0;
  const char *p = name + tl + 1;
  if (*p < '0' || *p > '9')
    return 0;
  uint32_t v = 0;
  for (; *p >= '0' && *p <= '9'; p++) {
    uint32_t digit = (uint32_t)(*p - '0');
    if (v > (UINT32_MAX - digit) / 10u)
      return 0;
    v = v * 10u + digit;
  }
  if (*p != '\0' && *p != ' ')
    return 0;
  if (seq)
    *seq = v;
  return 1;
}

/* ---- header and trailer -------------------------------------------------- */

/* Appends what fits and counts everything, so one pass gives the size. */
typedef struct writer {
  char *out;
  size_t cap, len;
} writer;

static void put(writer *w, const char *s) {
  size_t n = strlen(s);
  if (w->len <= w->cap && n <= w->cap - w->len)
    memcpy(w->out + w->len, s, n);
  w->len += n;
}

static int finish(const writer *w, size_t *len) {
  *len = w->len;
  return w->len <= w->cap ? PW_OK : PW_ENOBUFS;
}

/* A name pw_pjl_job_name could have made: 1..80 printable, no '"'. */
static int name_ok(const char *name) {
  if (!name || !*name)
    return 0;
  size_t n = 0;
  for (; name[n]; n++) {
    unsigned char u = (unsigned char)name[n];
    if (n >= PW_PJL_NAME_MAX || u < 0x20 || u > 0x7E || u == '"')
      return 0;
  }
  return 1;
}

int pw_pjl_job_header(const pw_pjl_job_opts *o, char *out, size_t cap,
                      size_t *len) {
  if (!o || !len || (!out && cap) || !name_ok(o->name) ||
      (o->timed &&
       (o->timed < PW_PJL_TIMED_MIN || o->timed > PW_PJL_TIMED_MAX)))
    return PW_EINVAL;
  writer w = {out, cap, 0};
  put(&w, PW_PJL_UEL "@PJL USTATUS JOB=ON\r\n");
  put(&w, "@PJL USTATUS DEVICE=ON\r\n");
  if (o->flags & PW_PJL_USTATUS_PAGE)
    put(&w, "@PJL USTATUS PAGE=ON\r\n");
  if (o->timed) {
    char line[40];
    snprintf(line, sizeof line, "@PJL USTATUS TIMED=%u\r\n", o->timed);
    put(&w, line);
  }
  if (o->flags & PW_PJL_INFO_STATUS)
    put(&w, "@PJL INFO STATUS\r\n");
  put(&w, "@PJL JOB NAME=\"");
  put(&w, o->name);
  put(&w, "\"\r\n");
  return finish(&w, len);
}

int pw_pjl_job_trailer(const char *name, char *out, size_t cap, size_t *len) {
  if (!len || (!out && cap) || !name_ok(name))
    return PW_EINVAL;
  writer w = {out, cap, 0};
  put(&w, PW_PJL_UEL "@PJL EOJ NAME=\"");
  put(&w, name);
  put(&w, "\"\r\n" PW_PJL_UEL);
  return finish(&w, len);
}

/* ---- the UEL detector ---------------------------------------------------- */

void pw_pjl_uel_init(pw_pjl_uel_detector *d) {
  d->state = PW_PJL_UEL_UNDECIDED;
  d->matched = 0;
}

pw_pjl_uel_state pw_pjl_uel_feed(pw_pjl_uel_detector *d, const void *data,
                                 size_t n) {
  const unsigned char *b = data;
  for (size_t i = 0; i < n && d->state == PW_PJL_UEL_UNDECIDED; i++) {
    if (b[i] != (unsigned char)PW_PJL_UEL[d->matched])
      d->state = PW_PJL_UEL_ABSENT;
    else if (++d->matched == PW_PJL_UEL_LEN)
      d->state = PW_PJL_UEL_PRESENT;
  }
  return d->state;
}

pw_pjl_uel_state pw_pjl_uel_finish(pw_pjl_uel_detector *d) {
  if (d->state == PW_PJL_UEL_UNDECIDED)
    d->state = PW_PJL_UEL_ABSENT;
  return d->state;
}
