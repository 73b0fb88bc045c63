/* portway — the PJL back-channel parser (pjl.h, docs/pjl.md).
 *
 * Formats followed: HP "Printer Job Language Technical Reference Manual",
 * chapter 7 "Status Readback Commands" (ECHO; INFO ID, CONFIG, PAGECOUNT,
 * STATUS; USTATUS DEVICE, JOB, PAGE, TIMED: a reply is "@PJL <command>"
 * CR LF, lines of "KEY=value" or values, and a form feed) and chapter 5
 * "Job Separation Commands" (USTATUS JOB START/END/CANCELED with NAME,
 * PAGES, ID, RESULT). Older printers answer INFO PAGECOUNT with a bare
 * number, newer ones with "PAGECOUNT=n": both are read.
 *
 * Everything here is hostile input: the reply is gathered into a fixed
 * buffer, cleaned in place (line ends to '\n', other controls and non-ASCII
 * to '?', NULs dropped), then cut into NUL-terminated fields in place, so
 * events point into the parser and nothing is allocated or copied. */
#include <string.h>

#include "core/ascii.h"
#include "core/pjl/pjl.h"
#include "portway/error.h"

enum { HUNT = 0, IN_MSG = 1, DISCARD = 2 };

static const char prefix[] = "@PJL";
#define PREFIX_LEN 4u

void pw_pjl_parser_init(pw_pjl_parser *p, pw_pjl_event_fn on_event, void *ctx) {
  memset(p, 0, sizeof *p);
  p->on_event = on_event;
  p->ctx = ctx;
  p->state_ = HUNT;
}

void pw_pjl_parser_reset(pw_pjl_parser *p) {
  if (p->state_ == IN_MSG) /* DISCARD was counted when it began */
    p->malformed++;
  p->state_ = HUNT;
  p->pfx_ = 0;
  p->len_ = 0;
  p->line_ = 0;
  p->at_line_start_ = 0;
}

const char *pw_pjl_event_name(pw_pjl_event_kind kind) {
  switch (kind) {
  case PW_PJL_EV_DEVICE:
    return "device";
  case PW_PJL_EV_TIMED:
    return "timed";
  case PW_PJL_EV_STATUS:
    return "status";
  case PW_PJL_EV_JOB_START:
    return "job-start";
  case PW_PJL_EV_JOB_END:
    return "job-end";
  case PW_PJL_EV_JOB_CANCELED:
    return "job-canceled";
  case PW_PJL_EV_PAGE:
    return "page";
  case PW_PJL_EV_ID:
    return "id";
  case PW_PJL_EV_CONFIG:
    return "config";
  case PW_PJL_EV_PAGECOUNT:
    return "pagecount";
  case PW_PJL_EV_ECHO:
    return "echo";
  }
  return "?";
}

/* ---- fields ------------------------------------------------------------- */

static int is_ws(char c) {
  return c == ' ' || c == '\t';
}

static char *skip_ws(char *s) {
  while (is_ws(*s))
    s++;
  return s;
}

/* s without leading and trailing blanks (cut in place). */
static char *trim(char *s) {
  s = skip_ws(s);
  size_t n = strlen(s);
  while (n > 0 && is_ws(s[n - 1]))
    s[--n] = '\0';
  return s;
}

/* A "quoted" value without its quotes (to the last quote, if any). */
static char *unquote(char *s) {
  if (*s != '"')
    return s;
  s++;
  char *end = strrchr(s, '"');
  if (end)
    *end = '\0';
  return s;
}

/* A decimal number that fits 32 bits, blanks around it allowed. */
static int parse_u32(const char *s, uint32_t *out) {
  while (is_ws(*s))
    s++;
  if (!pw_ascii_is_digit(*s))
    return 0;
  uint32_t v = 0;
  for (; pw_ascii_is_digit(*s); s++) {
    uint32_t digit = (uint32_t)(*s - '0');
    if (v > (UINT32_MAX - digit) / 10u)
      return 0;
    v = v * 10u + digit;
  }
  while (is_ws(*s))
    s++;
  if (*s)
    return 0;
  *out = v;
  return 1;
}

/* The next line of *cur (cut in place), NULL at the end. */
static char *next_line(char **cur) {
  char *s = *cur;
  if (!s)
    return NULL;
  char *nl = strchr(s, '\n');
  if (nl) {
    *nl = '\0';
    *cur = nl + 1;
  } else {
    *cur = NULL;
  }
  return s;
}

/* Split "KEY = value" at its first '=': the key and value, trimmed. */
static int split_kv(char *line, char **key, char **value) {
  char *eq = strchr(line, '=');
  if (!eq)
    return 0;
  *eq = '\0';
  *key = trim(line);
  *value = trim(eq + 1);
  return 1;
}

/* The next blank-separated word of *cur (cut in place), "" at the end. */
static char *next_word(char **cur) {
  char *s = skip_ws(*cur);
  char *e = s;
  while (*e && !is_ws(*e))
    e++;
  if (*e)
    *e++ = '\0';
  *cur = e;
  return s;
}

/* ---- replies ------------------------------------------------------------ */

/* CODE=, DISPLAY=, ONLINE= (INFO STATUS, USTATUS DEVICE and TIMED). */
static int parse_device(char *body, pw_pjl_event *ev) {
  int has_code = 0, bad_code = 0;
  char *line, *key, *value;
  while ((line = next_line(&body)) != NULL) {
    if (!split_kv(line, &key, &value))
      continue;
    if (pw_ascii_ieq(key, "CODE") && !has_code && !bad_code) {
      if (parse_u32(value, &ev->code))
        has_code = 1;
      else
        bad_code = 1;
    } else if (pw_ascii_ieq(key, "DISPLAY") && !*ev->display) {
      ev->display = unquote(value);
    } else if (pw_ascii_ieq(key, "ONLINE") && ev->online < 0) {
      ev->online = pw_ascii_ieq(value, "TRUE")    ? 1
                   : pw_ascii_ieq(value, "FALSE") ? 0
                                                  : -1;
    }
  }
  return has_code;
}

/* START, END or CANCELED, then NAME=, PAGES=, ID=, RESULT=. A field that
 * does not parse is left out; the reply stands. */
static int parse_job(char *body, pw_pjl_event *ev) {
  int which = 0;
  char *line, *key, *value;
  while ((line = next_line(&body)) != NULL) {
    if (!split_kv(line, &key, &value)) {
      char *word = trim(line);
      if (which)
        continue;
      which = 1;
      if (pw_ascii_ieq(word, "START"))
        ev->kind = PW_PJL_EV_JOB_START;
      else if (pw_ascii_ieq(word, "END"))
        ev->kind = PW_PJL_EV_JOB_END;
      else if (pw_ascii_ieq(word, "CANCELED") ||
               pw_ascii_ieq(word, "CANCELLED"))
        ev->kind = PW_PJL_EV_JOB_CANCELED;
      else
        which = 0;
      continue;
    }
    if (pw_ascii_ieq(key, "NAME") && !*ev->name)
      ev->name = unquote(value);
    else if (pw_ascii_ieq(key, "PAGES") && !ev->has_pages)
      ev->has_pages = parse_u32(value, &ev->pages);
    else if (pw_ascii_ieq(key, "ID") && !ev->has_id)
      ev->has_id = parse_u32(value, &ev->id);
    else if (pw_ascii_ieq(key, "RESULT") && !*ev->result)
      ev->result = value;
  }
  return which;
}

/* The first line that is not blank, trimmed; NULL if none. */
static char *first_line(char *body) {
  char *line;
  while ((line = next_line(&body)) != NULL) {
    line = trim(line);
    if (*line)
      return line;
  }
  return NULL;
}

/* INFO PAGECOUNT: "PAGECOUNT=n" or a bare number. */
static int parse_pagecount(char *body, pw_pjl_event *ev) {
  char *line = first_line(body), *key, *value;
  if (!line)
    return 0;
  if (split_kv(line, &key, &value))
    return pw_ascii_ieq(key, "PAGECOUNT") && parse_u32(value, &ev->number);
  return parse_u32(line, &ev->number);
}

/* USTATUS PAGE: the number on the next line (or after PAGE, if a printer
 * puts it there). */
static int parse_page(char *rest, char *body, pw_pjl_event *ev) {
  if (*skip_ws(rest))
    return parse_u32(rest, &ev->number);
  char *line = first_line(body);
  return line && parse_u32(line, &ev->number);
}

/* Known: 1 and the event filled, -1 malformed. Unknown: 0. */
static int parse_reply(char *msg, pw_pjl_event *ev) {
  char *body = msg;
  char *head = next_line(&body);
  if (!body)
    body = head + strlen(head); /* no body: an empty string */
  char *rest = head;
  if (strcmp(next_word(&rest), prefix) != 0)
    return 0;
  char *cmd = next_word(&rest);
  if (pw_ascii_ieq(cmd, "ECHO")) {
    ev->kind = PW_PJL_EV_ECHO;
    ev->text = trim(rest);
    return 1;
  }
  char *what = next_word(&rest);
  int ok;
  if (pw_ascii_ieq(cmd, "USTATUS") && pw_ascii_ieq(what, "DEVICE")) {
    ev->kind = PW_PJL_EV_DEVICE;
    ok = parse_device(body, ev);
  } else if (pw_ascii_ieq(cmd, "USTATUS") && pw_ascii_ieq(what, "TIMED")) {
    ev->kind = PW_PJL_EV_TIMED;
    ok = parse_device(body, ev);
  } else if (pw_ascii_ieq(cmd, "USTATUS") && pw_ascii_ieq(what, "JOB")) {
    ok = parse_job(body, ev);
  } else if (pw_ascii_ieq(cmd, "USTATUS") && pw_ascii_ieq(what, "PAGE")) {
    ev->kind = PW_PJL_EV_PAGE;
    ok = parse_page(rest, body, ev);
  } else if (pw_ascii_ieq(cmd, "INFO") && pw_ascii_ieq(what, "STATUS")) {
    ev->kind = PW_PJL_EV_STATUS;
    ok = parse_device(body, ev);
  } else if (pw_ascii_ieq(cmd, "INFO") && pw_ascii_ieq(what, "ID")) {
    char *line = first_line(body);
    ev->kind = PW_PJL_EV_ID;
    ok = line != NULL;
    if (ok)
      ev->text = trim(unquote(line));
  } else if (pw_ascii_ieq(cmd, "INFO") && pw_ascii_ieq(what, "CONFIG")) {
    size_t n = strlen(body);
    while (n > 0 && body[n - 1] == '\n')
      body[--n] = '\0';
    ev->kind = PW_PJL_EV_CONFIG;
    ev->text = body;
    ok = 1;
  } else if (pw_ascii_ieq(cmd, "INFO") && pw_ascii_ieq(what, "PAGECOUNT")) {
    ev->kind = PW_PJL_EV_PAGECOUNT;
    ok = parse_pagecount(body, ev);
  } else {
    return 0; /* INFO USTATUS, VARIABLES, MEMORY, ...: not ours */
  }
  return ok ? 1 : -1;
}

/* Clean buf_[0..len_) in place and NUL-terminate it: CR LF, CR and LF
 * become '\n'; NUL is dropped; HT and printable ASCII stay; anything else
 * becomes '?'. */
static void clean(pw_pjl_parser *p) {
  size_t o = 0;
  for (size_t i = 0; i < p->len_; i++) {
    unsigned char u = (unsigned char)p->buf_[i];
    if (u == '\r') {
      p->buf_[o++] = '\n';
      if (i + 1 < p->len_ && p->buf_[i + 1] == '\n')
        i++;
    } else if (u == '\n') {
      p->buf_[o++] = '\n';
    } else if (u == '\t' || (u >= 0x20 && u <= 0x7E)) {
      p->buf_[o++] = (char)u;
    } else if (u != 0) {
      p->buf_[o++] = '?';
    }
  }
  p->buf_[o] = '\0';
}

/* A whole reply is in buf_: deliver it, count it. */
static void complete(pw_pjl_parser *p) {
  clean(p);
  pw_pjl_event *ev = &p->ev_;
  memset(ev, 0, sizeof *ev);
  ev->online = -1;
  ev->display = ev->name = ev->result = ev->text = "";
  int r = parse_reply(p->buf_, ev);
  if (r > 0) {
    p->events++;
    if (p->on_event)
      p->on_event(p->ctx, ev);
  } else if (r < 0) {
    p->malformed++;
  } else {
    p->unknown++;
  }
}

/* Start a reply: "@PJL" was just seen. */
static void start(pw_pjl_parser *p) {
  memcpy(p->buf_, prefix, PREFIX_LEN);
  p->len_ = PREFIX_LEN;
  p->line_ = 0;
  p->pfx_ = 0;
  p->state_ = IN_MSG;
}

static int ends_line(unsigned char c) {
  return c == '\r' || c == '\n';
}

/* Outside replies: skip everything up to "@PJL". Every byte is counted as
 * skipped as it comes; the four of a "@PJL" are taken back. */
static void hunt_byte(pw_pjl_parser *p, unsigned char c) {
  p->skipped++;
  if (c == (unsigned char)prefix[p->pfx_]) {
    if (++p->pfx_ == PREFIX_LEN) {
      p->skipped -= PREFIX_LEN;
      start(p);
    }
  } else {
    p->pfx_ = c == '@' ? 1 : 0;
  }
}

/* An oversized reply: drop it up to its form feed, or to a line that
 * starts with "@PJL" (the next reply). */
static void discard_byte(pw_pjl_parser *p, unsigned char c) {
  if (c == 0x0C) {
    p->state_ = HUNT;
    p->pfx_ = 0;
  } else if (ends_line(c)) {
    p->at_line_start_ = 1;
    p->pfx_ = 0;
  } else if (p->at_line_start_ && c == (unsigned char)prefix[p->pfx_]) {
    if (++p->pfx_ == PREFIX_LEN)
      start(p);
  } else {
    p->at_line_start_ = 0;
    p->pfx_ = 0;
  }
}

/* Inside a reply: gather it up to its form feed. */
static void msg_byte(pw_pjl_parser *p, unsigned char c) {
  if (c == 0x0C) {
    complete(p);
    p->state_ = HUNT;
    p->pfx_ = 0;
    p->len_ = 0;
    return;
  }
  if (p->len_ >= PW_PJL_MSG_MAX) {
    /* too long: go on in DISCARD where this line stands, so a "@PJL"
     * line that began in the buffer is still found */
    size_t in_line = p->len_ - p->line_;
    p->malformed++;
    p->state_ = DISCARD;
    p->at_line_start_ = p->line_ > 0 && in_line < PREFIX_LEN &&
                        memcmp(p->buf_ + p->line_, prefix, in_line) == 0;
    p->pfx_ = p->at_line_start_ ? in_line : 0;
    p->len_ = 0;
    discard_byte(p, c);
    return;
  }
  p->buf_[p->len_++] = (char)c;
  if (ends_line(c)) {
    p->line_ = p->len_;
  } else if (p->line_ > 0 && p->len_ - p->line_ == PREFIX_LEN &&
             memcmp(p->buf_ + p->line_, prefix, PREFIX_LEN) == 0) {
    p->malformed++; /* a new reply before this one's FF: this one is cut */
    start(p);
  }
}

void pw_pjl_parser_feed(pw_pjl_parser *p, const void *data, size_t n) {
  const unsigned char *b = data;
  for (size_t i = 0; i < n; i++) {
    if (p->state_ == HUNT)
      hunt_byte(p, b[i]);
    else if (p->state_ == DISCARD)
      discard_byte(p, b[i]);
    else
      msg_byte(p, b[i]);
  }
}

/* ---- INFO CONFIG ----------------------------------------------------------
 */

int pw_pjl_config_value(const char *config_text, const char *feature, char *out,
                        size_t cap) {
  if (!config_text || !feature || !out || cap == 0)
    return PW_EINVAL;
  size_t fl = strlen(feature);
  for (const char *line = config_text; *line;) {
    const char *end = strchr(line, '\n');
    size_t n = end ? (size_t)(end - line) : strlen(line);
    const char *eq = memchr(line, '=', n);
    /* top-level lines only: options under a feature start with HT */
    if (eq && !is_ws(*line)) {
      size_t kl = (size_t)(eq - line);
      while (kl > 0 && is_ws(line[kl - 1]))
        kl--;
      if (kl == fl && pw_ascii_ieq_n(line, kl, feature)) {
        const char *v = eq + 1, *ve = line + n;
        while (v < ve && is_ws(*v))
          v++;
        while (ve > v && is_ws(ve[-1]))
          ve--;
        size_t vl = (size_t)(ve - v);
        if (vl + 1 > cap)
          return PW_ENOBUFS;
        memcpy(out, v, vl);
        out[vl] = '\0';
        return PW_OK;
      }
    }
    line = end ? end + 1 : line + n;
  }
  return PW_ENOENT;
}
