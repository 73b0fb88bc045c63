/* portway — the Bidi schema table and the answer to one call (bidi.h).
 *
 * The paths and their types are those of Microsoft's Bidi schema reference
 * pages (learn.microsoft.com/windows-hardware/drivers/print/):
 *   "Summary"     \Printer.Status.Summary:State, :StateReason  BIDI_STRING
 *   "DeviceInfo"  \Printer.DeviceInfo:Manufacturer, :ModelName,
 *                 :IEEE1284DeviceID                            BIDI_STRING
 *   "[Name]"      \Printer.Consumables.[Name]:Installed        BIDI_BOOL
 *                 ...:Type, ...:Color                          BIDI_STRING
 *                 ...:Level (percent, -1 unknown)              BIDI_INT
 * The [Name] page writes its values with a '.' ("[Name].Level"); the query
 * rules ("Constructing a Bidi Communication Schema Query": a value is
 * separated from its property by a colon) and the TCP/IP monitor sample's
 * queries ("...TopBin:Level") use ':', which is what is answered here. Its
 * "Type" has no data type on the page; its values are words, so
 * BIDI_STRING. The schema has no online flag and no page counter: those
 * facts are kept (pw_printer_facts) but have no path. */
#include "core/bidi.h"

#include <stdlib.h>
#include <string.h>

#include "core/ascii.h"
#include "core/strutil.h"
#include "portway/error.h"

int pw_bidi_action_parse(const char *name, pw_bidi_action *out) {
  static const struct {
    const char *name;
    pw_bidi_action action;
  } actions[] = {{"EnumSchema", PW_BIDI_ENUM_SCHEMA},
                 {"Get", PW_BIDI_GET},
                 {"GetAll", PW_BIDI_GET_ALL},
                 {"Set", PW_BIDI_SET}};
  if (!name || !out)
    return PW_EINVAL;
  for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
    if (pw_ascii_ieq(name, actions[i].name)) {
      *out = actions[i].action;
      return PW_OK;
    }
  return PW_ENOTSUP;
}

/* ---- the table ---- */

/* A getter: 1 with v->i / v->text set (text: a static string or one the
 * facts hold; the caller copies it), 0 for "no data". m is the consumable
 * for consumable rows, else NULL. */
typedef int (*getter)(const pw_printer_facts *f, const pw_marker *m,
                      pw_bidi_value *v, const char **text);

typedef struct row {
  const char *path; /* fixed: the whole path; consumable: the value name */
  pw_bidi_type type;
  getter get;
} row;

static int known(const pw_printer_facts *f, unsigned bit) {
  return f && (f->known & bit) != 0;
}

static int get_state(const pw_printer_facts *f, const pw_marker *m,
                     pw_bidi_value *v, const char **text) {
  (void)m;
  (void)v;
  if (known(f, PW_FACT_STATE)) {
    switch (f->state) {
    case PW_PRINTER_IDLE:
      *text = "Idle";
      return 1;
    case PW_PRINTER_PRINTING:
      *text = "Processing";
      return 1;
    case PW_PRINTER_STOPPED:
      *text = "Stopped";
      return 1;
    case PW_PRINTER_UNKNOWN:
    case PW_PRINTER_OFFLINE:
      break;
    }
  }
  /* A device that says it is offline does not process jobs. */
  if (known(f, PW_FACT_ONLINE) && !f->online) {
    *text = "Stopped";
    return 1;
  }
  return 0;
}

/* The StateReason words in the order the Summary page lists them. */
static const struct {
  unsigned bit;
  const char *word;
} reason_words[] = {
    {PW_REASON_ATTENTION, "AttentionRequired"},
    {PW_REASON_DOOR_OPEN, "DoorOpen"},
    {PW_REASON_MARKER_EMPTY, "MarkerSupplyEmpty"},
    {PW_REASON_MARKER_LOW, "MarkerSupplyLow"},
    {PW_REASON_MEDIA_EMPTY, "MediaEmpty"},
    {PW_REASON_MEDIA_JAM, "MediaJam"},
    {PW_REASON_MEDIA_LOW, "MediaLow"},
    {PW_REASON_MEDIA_NEEDED, "MediaNeeded"},
    {PW_REASON_PAUSED, "Paused"},
    {PW_REASON_OUTPUT_NEAR_FULL, "OutputAreaAlmostFull"},
    {PW_REASON_OUTPUT_FULL, "OutputAreaFull"},
};

/* Longest list: every word and a space after each. */
#define REASONS_MAX 200u

static int get_reasons(const pw_printer_facts *f, const pw_marker *m,
                       pw_bidi_value *v, const char **text) {
  (void)m;
  (void)text;
  if (!known(f, PW_FACT_REASONS))
    return 0;
  char list[REASONS_MAX] = "";
  size_t n = 0;
  for (size_t i = 0; i < sizeof reason_words / sizeof reason_words[0]; i++) {
    if (!(f->reasons & reason_words[i].bit))
      continue;
    size_t w = strlen(reason_words[i].word);
    if (n)
      list[n++] = ' ';
    memcpy(list + n, reason_words[i].word, w + 1);
    n += w;
  }
  v->text = pw_strdup(n ? list : "None");
  return v->text ? 1 : -1;
}

static int text_fact(const pw_printer_facts *f, unsigned bit, const char *s,
                     const char **text) {
  if (!known(f, bit) || !s[0])
    return 0;
  *text = s;
  return 1;
}

static int get_manufacturer(const pw_printer_facts *f, const pw_marker *m,
                            pw_bidi_value *v, const char **text) {
  (void)m;
  (void)v;
  return f ? text_fact(f, PW_FACT_MANUFACTURER, f->manufacturer, text) : 0;
}

/* The model without the manufacturer when the device said which part that
 * is, else its whole make-and-model (better than nothing: Windows names a
 * queue "Manufacturer ModelName", or ModelName alone). */
static int get_model(const pw_printer_facts *f, const pw_marker *m,
                     pw_bidi_value *v, const char **text) {
  (void)m;
  (void)v;
  if (!f)
    return 0;
  return text_fact(f, PW_FACT_MODEL, f->model, text) ||
         text_fact(f, PW_FACT_MAKE_MODEL, f->make_model, text);
}

static int get_device_id(const pw_printer_facts *f, const pw_marker *m,
                         pw_bidi_value *v, const char **text) {
  (void)m;
  (void)v;
  return f ? text_fact(f, PW_FACT_DEVICE_ID, f->device_id, text) : 0;
}

static int get_installed(const pw_printer_facts *f, const pw_marker *m,
                         pw_bidi_value *v, const char **text) {
  (void)f;
  (void)text;
  v->i = 1; /* the printer reports it: it is there */
  return m != NULL;
}

static int get_type(const pw_printer_facts *f, const pw_marker *m,
                    pw_bidi_value *v, const char **text) {
  (void)f;
  (void)v;
  *text = m->type;
  return m->type[0] != '\0';
}

static int get_color(const pw_printer_facts *f, const pw_marker *m,
                     pw_bidi_value *v, const char **text) {
  (void)f;
  (void)v;
  *text = m->color;
  return m->color[0] != '\0';
}

static int get_level(const pw_printer_facts *f, const pw_marker *m,
                     pw_bidi_value *v, const char **text) {
  (void)f;
  (void)text;
  /* "If the level is not measurable, a value of -1 (unknown) should be
   * returned" (the [Name] page): -1 is an answer, not "no data". */
  v->i = m->level >= 0 && m->level <= 100 ? m->level : -1;
  return 1;
}

static const row fixed_rows[] = {
    {"\\Printer.Status.Summary:State", PW_BIDI_STRING, get_state},
    {"\\Printer.Status.Summary:StateReason", PW_BIDI_STRING, get_reasons},
    {"\\Printer.DeviceInfo:Manufacturer", PW_BIDI_STRING, get_manufacturer},
    {"\\Printer.DeviceInfo:ModelName", PW_BIDI_STRING, get_model},
    {"\\Printer.DeviceInfo:IEEE1284DeviceID", PW_BIDI_STRING, get_device_id},
};
#define NFIXED (sizeof fixed_rows / sizeof fixed_rows[0])

#define CONSUMABLES "\\Printer.Consumables"
#define CONSUMABLES_LEN (sizeof CONSUMABLES - 1)

static const row consumable_rows[] = {
    {"Installed", PW_BIDI_BOOL, get_installed},
    {"Type", PW_BIDI_STRING, get_type},
    {"Color", PW_BIDI_STRING, get_color},
    {"Level", PW_BIDI_INT, get_level},
};
#define NCONSUMABLE (sizeof consumable_rows / sizeof consumable_rows[0])

/* ---- paths ---- */

static int name_char(char c) {
  return pw_ascii_is_alpha(c) || pw_ascii_is_digit(c) || c == '-' || c == '_';
}

/* Printable ASCII without space, 1..PW_BIDI_MAX_PATH octets. */
static int path_octets_ok(const char *p, size_t len) {
  if (!p || len == 0 || len > PW_BIDI_MAX_PATH)
    return 0;
  for (size_t i = 0; i < len; i++)
    if ((unsigned char)p[i] <= 0x20 || (unsigned char)p[i] >= 0x7f)
      return 0;
  return 1;
}

/* A path resolved against the table. */
typedef struct path_ref {
  const row *row;
  int consumable;
  char name[PW_BIDI_NAME_MAX]; /* the consumable's name as given */
} path_ref;

/* "\Printer.Consumables.<name>" at p: the name's length (1..63), or 0. */
static size_t consumable_name_len(const char *p, size_t len) {
  if (len <= CONSUMABLES_LEN + 1 ||
      !pw_ascii_ieq_n(p, CONSUMABLES_LEN, CONSUMABLES) ||
      p[CONSUMABLES_LEN] != '.')
    return 0;
  size_t n = 0;
  const char *name = p + CONSUMABLES_LEN + 1;
  size_t rest = len - CONSUMABLES_LEN - 1;
  while (n < rest && name_char(name[n]))
    n++;
  return n > 0 && n < PW_BIDI_NAME_MAX ? n : 0;
}

static int resolve(const char *p, size_t len, path_ref *out) {
  memset(out, 0, sizeof *out);
  if (!path_octets_ok(p, len))
    return 0;
  for (size_t i = 0; i < NFIXED; i++)
    if (pw_ascii_ieq_n(p, len, fixed_rows[i].path)) {
      out->row = &fixed_rows[i];
      return 1;
    }
  size_t n = consumable_name_len(p, len);
  size_t at = CONSUMABLES_LEN + 1 + n; /* the ':' */
  if (n == 0 || at >= len || p[at] != ':')
    return 0;
  for (size_t i = 0; i < NCONSUMABLE; i++)
    if (pw_ascii_ieq_n(p + at + 1, len - at - 1, consumable_rows[i].path)) {
      out->row = &consumable_rows[i];
      out->consumable = 1;
      memcpy(out->name, p + CONSUMABLES_LEN + 1, n);
      out->name[n] = '\0';
      return 1;
    }
  return 0;
}

/* The path as the table spells it (a consumable keeps `name`); NULL when
 * out of memory. */
static char *spell(const row *r, const char *name) {
  if (!name)
    return pw_strdup(r->path);
  size_t nl = strlen(name), vl = strlen(r->path);
  char *s = malloc(CONSUMABLES_LEN + 1 + nl + 1 + vl + 1);
  if (s) {
    memcpy(s, CONSUMABLES ".", CONSUMABLES_LEN + 1);
    memcpy(s + CONSUMABLES_LEN + 1, name, nl);
    s[CONSUMABLES_LEN + 1 + nl] = ':';
    memcpy(s + CONSUMABLES_LEN + 2 + nl, r->path, vl + 1);
  }
  return s;
}

int pw_bidi_schema_supported(const char *path, size_t len, char *canon,
                             size_t cap) {
  path_ref ref;
  if (!resolve(path, len, &ref))
    return 0;
  if (canon && cap) {
    char *s = spell(ref.row, ref.consumable ? ref.name : NULL);
    canon[0] = '\0';
    if (s && strlen(s) < cap)
      memcpy(canon, s, strlen(s) + 1);
    free(s);
  }
  return 1;
}

/* strlen bounded just past PW_BIDI_MAX_PATH (strnlen is not C11); 0 for
 * NULL. */
static size_t path_len(const char *s) {
  size_t n = 0;
  while (s && n <= PW_BIDI_MAX_PATH && s[n] != '\0')
    n++;
  return n;
}

static const pw_marker *find_marker(const pw_printer_facts *f,
                                    const char *name) {
  if (!known(f, PW_FACT_MARKERS))
    return NULL;
  for (size_t i = 0; i < f->nmarkers && i < PW_BIDI_MAX_MARKERS; i++)
    if (pw_ascii_ieq(f->markers[i].name, name))
      return &f->markers[i];
  return NULL;
}

static int offline(const pw_printer_facts *f) {
  return known(f, PW_FACT_STATE) && f->state == PW_PRINTER_OFFLINE;
}

/* Is a GetAll prefix at a property boundary of `full`? */
static int below(const char *p, size_t len, const char *full) {
  size_t fl = strlen(full);
  if (len == 0 || len > fl)
    return 0;
  for (size_t i = 0; i < len; i++)
    if (pw_ascii_lower(p[i]) != pw_ascii_lower(full[i]))
      return 0;
  return len == fl || full[len] == '.' || full[len] == ':' ||
         p[len - 1] == '.' || p[len - 1] == ':';
}

/* A GetAll prefix that names something of the table even when no value
 * below it exists now: "\Printer", "\Printer.Consumables", a consumable by
 * name, or a supported path. */
static int prefix_known(const char *p, size_t len) {
  path_ref ref;
  if (!path_octets_ok(p, len))
    return 0;
  if (below(p, len, CONSUMABLES) || resolve(p, len, &ref))
    return 1;
  for (size_t i = 0; i < NFIXED; i++)
    if (below(p, len, fixed_rows[i].path))
      return 1;
  size_t n = consumable_name_len(p, len);
  return n > 0 && CONSUMABLES_LEN + 1 + n == len;
}

int pw_bidi_needs_facts(pw_bidi_action action, const pw_bidi_request *reqs,
                        size_t n) {
  path_ref ref;
  if (action == PW_BIDI_ENUM_SCHEMA)
    return 1;
  if (action == PW_BIDI_SET || !reqs)
    return 0;
  for (size_t i = 0; i < n; i++) {
    const char *s = reqs[i].schema;
    size_t len = path_len(s);
    if (action == PW_BIDI_GET ? resolve(s, len, &ref) : prefix_known(s, len))
      return 1;
  }
  return 0;
}

/* ---- building the answer ---- */

typedef struct builder {
  pw_bidi_response *r;
  size_t cap;
  int err;
} builder;

static pw_bidi_value *add(builder *b, uint32_t result, uint32_t req) {
  if (b->err)
    return NULL;
  if (b->r->count == b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 16;
    pw_bidi_value *v = realloc(b->r->values, cap * sizeof *v);
    if (!v) {
      b->err = PW_ENOMEM;
      return NULL;
    }
    b->r->values = v;
    b->cap = cap;
  }
  pw_bidi_value *v = &b->r->values[b->r->count++];
  memset(v, 0, sizeof *v);
  v->result = result;
  v->req = req;
  v->type = PW_BIDI_NULL;
  return v;
}

/* An error answer; schema (may be NULL) is copied. */
static void add_error(builder *b, uint32_t result, uint32_t req,
                      const char *schema) {
  pw_bidi_value *v = add(b, result, req);
  if (v && schema && !(v->schema = pw_strdup(schema)))
    b->err = PW_ENOMEM;
}

/* The value of one resolved path: 1 answered with data, 0 no data (nothing
 * added when `quiet`, else a NO_DATA / DEVICE_OFFLINE answer). */
static int add_value(builder *b, const pw_printer_facts *f, const row *r,
                     const pw_marker *m, const char *name, uint32_t req,
                     int quiet) {
  pw_bidi_value tmp = {0};
  const char *text = NULL;
  int got = 0;
  if (!offline(f) && (!name || m))
    got = r->get(f, m, &tmp, &text);
  if (got < 0) {
    b->err = PW_ENOMEM;
    return 0;
  }
  if (!got && quiet)
    return 0;
  pw_bidi_value *v = add(b,
                         got          ? PW_BIDI_OK
                         : offline(f) ? PW_BIDI_DEVICE_OFFLINE
                                      : PW_BIDI_NO_DATA,
                         req);
  if (!v) {
    free(tmp.text);
    return 0;
  }
  v->schema = spell(r, name);
  if (got) {
    v->type = r->type;
    v->i = tmp.i;
    v->text = tmp.text ? tmp.text : text ? pw_strdup(text) : NULL;
    tmp.text = NULL;
    if ((r->type == PW_BIDI_STRING || r->type == PW_BIDI_TEXT) && !v->text)
      b->err = PW_ENOMEM;
  }
  free(tmp.text);
  if (!v->schema)
    b->err = PW_ENOMEM;
  return got;
}

/* One EnumSchema answer: a supported path as BIDI_TEXT. */
static void add_path(builder *b, const row *r, const char *name) {
  pw_bidi_value *v = add(b, PW_BIDI_OK, 0);
  if (!v)
    return;
  v->type = PW_BIDI_TEXT;
  if (!(v->text = spell(r, name)))
    b->err = PW_ENOMEM;
}

static void enum_schema(builder *b, const pw_printer_facts *f) {
  for (size_t i = 0; i < NFIXED; i++)
    add_path(b, &fixed_rows[i], NULL);
  for (size_t k = 0;
       known(f, PW_FACT_MARKERS) && k < f->nmarkers && k < PW_BIDI_MAX_MARKERS;
       k++)
    for (size_t i = 0; i < NCONSUMABLE; i++)
      add_path(b, &consumable_rows[i], f->markers[k].name);
}

static void get_one(builder *b, const pw_printer_facts *f,
                    const pw_bidi_request *q) {
  path_ref ref;
  const char *s = q->schema;
  if (!resolve(s, path_len(s), &ref)) {
    add_error(b, PW_BIDI_SCHEMA_NOT_SUPPORTED, q->req, NULL);
    return;
  }
  const pw_marker *m = ref.consumable ? find_marker(f, ref.name) : NULL;
  (void)add_value(b, f, ref.row, m, ref.consumable ? ref.name : NULL, q->req,
                  0);
}

static void get_all_one(builder *b, const pw_printer_facts *f,
                        const pw_bidi_request *q) {
  const char *p = q->schema;
  size_t len = path_len(p);
  if (!prefix_known(p, len)) {
    add_error(b, PW_BIDI_SCHEMA_NOT_SUPPORTED, q->req, NULL);
    return;
  }
  size_t answered = 0;
  for (size_t i = 0; !offline(f) && i < NFIXED; i++)
    if (below(p, len, fixed_rows[i].path))
      answered +=
          (size_t)add_value(b, f, &fixed_rows[i], NULL, NULL, q->req, 1);
  for (size_t k = 0; !offline(f) && known(f, PW_FACT_MARKERS) &&
                     k < f->nmarkers && k < PW_BIDI_MAX_MARKERS;
       k++)
    for (size_t i = 0; i < NCONSUMABLE; i++) {
      char *full = spell(&consumable_rows[i], f->markers[k].name);
      if (!full) {
        b->err = PW_ENOMEM;
        return;
      }
      if (below(p, len, full))
        answered += (size_t)add_value(b, f, &consumable_rows[i], &f->markers[k],
                                      f->markers[k].name, q->req, 1);
      free(full);
    }
  if (answered == 0)
    add_error(b, offline(f) ? PW_BIDI_DEVICE_OFFLINE : PW_BIDI_NO_DATA, q->req,
              p);
}

static void set_one(builder *b, const pw_bidi_request *q) {
  path_ref ref;
  const char *s = q->schema;
  if (!resolve(s, path_len(s), &ref)) {
    add_error(b, PW_BIDI_SCHEMA_NOT_SUPPORTED, q->req, NULL);
    return;
  }
  pw_bidi_value *v = add(b, PW_BIDI_SCHEMA_READ_ONLY, q->req);
  if (v && !(v->schema = spell(ref.row, ref.consumable ? ref.name : NULL)))
    b->err = PW_ENOMEM;
}

int pw_bidi_answer(const pw_printer_facts *facts, pw_bidi_action action,
                   const pw_bidi_request *reqs, size_t n,
                   pw_bidi_response **out) {
  if (!out)
    return PW_EINVAL;
  *out = NULL;
  if ((n > 0 && !reqs) || n > PW_BIDI_MAX_REQUESTS ||
      (n == 0 && action != PW_BIDI_ENUM_SCHEMA))
    return PW_EINVAL;
  builder b = {calloc(1, sizeof *b.r), 0, PW_OK};
  if (!b.r)
    return PW_ENOMEM;
  switch (action) {
  case PW_BIDI_ENUM_SCHEMA:
    enum_schema(&b, facts);
    break;
  case PW_BIDI_GET:
    for (size_t i = 0; i < n; i++)
      get_one(&b, facts, &reqs[i]);
    break;
  case PW_BIDI_GET_ALL:
    for (size_t i = 0; i < n; i++)
      get_all_one(&b, facts, &reqs[i]);
    break;
  case PW_BIDI_SET:
    for (size_t i = 0; i < n; i++)
      set_one(&b, &reqs[i]);
    break;
  default:
    b.err = PW_EINVAL;
  }
  if (b.err) {
    pw_bidi_response_free(b.r);
    return b.err;
  }
  *out = b.r;
  return PW_OK;
}

void pw_bidi_response_free(pw_bidi_response *r) {
  if (!r)
    return;
  for (size_t i = 0; i < r->count; i++) {
    free(r->values[i].schema);
    free(r->values[i].text);
  }
  free(r->values);
  free(r);
}

int pw_bidi_response_has_errors(const pw_bidi_response *r) {
  for (size_t i = 0; r && i < r->count; i++)
    if (r->values[i].result != PW_BIDI_OK)
      return 1;
  return 0;
}
