/* portway — Bidi facts of an IPP printer (ipp_job.h, core/bidi.h): one
 * Get-Printer-Attributes on a connection of its own, and what its answer
 * means in the Bidi schema's words.
 *
 *   printer-state 3/4/5        State Idle / Processing / Stopped
 *   printer-state-reasons      StateReason words (RFC 8011 5.4.12 keywords,
 *                              severity suffixes stripped; see reason_map);
 *                              "offline" also makes the printer offline
 *   printer-is-accepting-jobs  kept (no schema path)
 *   printer-make-and-model     ModelName when the model alone is unknown
 *   printer-device-id          IEEE1284DeviceID; its MFG/MANUFACTURER is
 *                              Manufacturer, its MDL/MODEL ModelName
 *   marker-names, -types,      one consumable each (PWG 5100.x marker
 *   -colors, -levels           attributes, parallel 1setOf values)
 */
#include <stdatomic.h>
#include <string.h>

#include "core/ascii.h"
#include "core/dest/ipp_job.h"
#include "core/ipp.h"
#include "portway/error.h"

static const char *const bidi_asked[] = {"printer-state",
                                         "printer-state-reasons",
                                         "printer-is-accepting-jobs",
                                         "printer-make-and-model",
                                         "printer-device-id",
                                         "marker-names",
                                         "marker-types",
                                         "marker-colors",
                                         "marker-levels"};

/* ---- printer-state-reasons ---- */

static const struct {
  const char *keyword;
  unsigned bit;
} reason_map[] = {
    {"media-empty", PW_REASON_MEDIA_EMPTY},
    {"media-needed", PW_REASON_MEDIA_NEEDED},
    {"media-jam", PW_REASON_MEDIA_JAM},
    {"media-low", PW_REASON_MEDIA_LOW},
    {"door-open", PW_REASON_DOOR_OPEN},
    {"cover-open", PW_REASON_DOOR_OPEN},
    {"interlock-open", PW_REASON_DOOR_OPEN},
    {"marker-supply-empty", PW_REASON_MARKER_EMPTY},
    {"toner-empty", PW_REASON_MARKER_EMPTY},
    {"marker-supply-low", PW_REASON_MARKER_LOW},
    {"toner-low", PW_REASON_MARKER_LOW},
    {"paused", PW_REASON_PAUSED},
    {"moving-to-paused", PW_REASON_PAUSED},
    {"output-area-almost-full", PW_REASON_OUTPUT_NEAR_FULL},
    {"output-area-full", PW_REASON_OUTPUT_FULL},
};

/* The keyword without its severity suffix; *error: its severity is
 * "error" (the "-error" suffix, or none at all: RFC 8011 5.4.12). */
static size_t keyword_base(const char *k, int *error) {
  static const char *const suffixes[] = {"-error", "-warning", "-report"};
  size_t n = strlen(k);
  *error = 1;
  for (size_t i = 0; i < 3; i++) {
    size_t sl = strlen(suffixes[i]);
    if (n > sl && pw_ascii_ieq_n(k + n - sl, sl, suffixes[i])) {
      *error = i == 0;
      return n - sl;
    }
  }
  return n;
}

static void take_reason(pw_printer_facts *f, const char *k) {
  int error = 0;
  size_t n = keyword_base(k, &error);
  if (pw_ascii_ieq_n(k, n, "none"))
    return;
  if (pw_ascii_ieq_n(k, n, "offline")) {
    f->online = 0;
    f->known |= PW_FACT_ONLINE;
    return;
  }
  for (size_t i = 0; i < sizeof reason_map / sizeof reason_map[0]; i++)
    if (pw_ascii_ieq_n(k, n, reason_map[i].keyword)) {
      f->reasons |= reason_map[i].bit;
      return;
    }
  /* Anything else that stops the printer needs someone to look at it. An
   * unsuffixed keyword counts as an error only while the printer is
   * stopped: printers send "paused"-like reports without a suffix. */
  int explicit_error = n < strlen(k) && error;
  if (explicit_error || (error && f->state == PW_PRINTER_STOPPED))
    f->reasons |= PW_REASON_ATTENTION;
}

/* ---- printer-device-id (IEEE 1284: "KEY:value;KEY:value;") ---- */

static int is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
         c == '\f';
}

/* The value of key1 or key2 into out (cap octets); 1 if found. */
static int device_id_field(const char *id, const char *key1, const char *key2,
                           char *out, size_t cap) {
  for (const char *p = id; p && *p;) {
    const char *end = strchr(p, ';');
    size_t seg = end ? (size_t)(end - p) : strlen(p);
    const char *colon = memchr(p, ':', seg);
    if (colon) {
      const char *k = p;
      size_t kl = (size_t)(colon - p);
      while (kl && is_blank(*k)) {
        k++;
        kl--;
      }
      while (kl && is_blank(k[kl - 1]))
        kl--;
      if (pw_ascii_ieq_n(k, kl, key1) || pw_ascii_ieq_n(k, kl, key2)) {
        char value[PW_BIDI_TEXT_MAX];
        size_t vl = (size_t)(p + seg - colon - 1);
        if (vl >= sizeof value)
          vl = sizeof value - 1;
        memcpy(value, colon + 1, vl);
        value[vl] = '\0';
        pw_bidi_copy_text(out, cap, value);
        return out[0] != '\0';
      }
    }
    p = end ? end + 1 : NULL;
  }
  return 0;
}

/* ---- markers ---- */

/* A marker-types keyword in the [Name] page's words ("Toner", "Ink",
 * "WasteToner", ...); others keep their name, capitalised per word
 * ("opc" -> "Opc"), as vendors may add types. */
static void marker_type(const char *k, char *out, size_t cap) {
  static const struct {
    const char *keyword, *word;
  } special[] = {{"toner-cartridge", "Toner"},
                 {"ink-cartridge", "Ink"},
                 {"ink-ribbon", "Ink"},
                 {"solid-wax", "Wax"},
                 {"wax-ribbon", "Wax"}};
  out[0] = '\0';
  if (!k)
    return;
  for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
    if (pw_ascii_ieq(k, special[i].keyword)) {
      pw_bidi_copy_text(out, cap, special[i].word);
      return;
    }
  pw_bidi_marker_name(out, cap, k);
}

/* A marker-colors value ("#RRGGBB", several for a multi-colour supply,
 * "none", or a colour name) as one of the [Name] page's colours; "" when
 * it is none of them. */
static void marker_color(const char *c, char *out, size_t cap) {
  static const struct {
    const char *rgb, *word;
  } named[] = {
      {"#000000", "Black"}, {"#0000FF", "Blue"},  {"#00FFFF", "Cyan"},
      {"#808080", "Gray"},  {"#00FF00", "Green"}, {"#FF00FF", "Magenta"},
      {"#FF0000", "Red"},   {"#FFFFFF", "White"}, {"#FFFF00", "Yellow"}};
  static const char *const words[] = {
      "Black",        "Blue",        "Color",      "Cyan",       "Gray",
      "Green",        "Magenta",     "PhotoBlack", "PhotoColor", "PhotoCyan",
      "PhotoMagenta", "PhotoYellow", "Red",        "White",      "Yellow"};
  out[0] = '\0';
  if (!c || !c[0])
    return;
  if (c[0] == '#') {
    if (strchr(c + 1, '#')) {
      pw_bidi_copy_text(out, cap, "Color");
      return;
    }
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
      if (pw_ascii_ieq(c, named[i].rgb))
        pw_bidi_copy_text(out, cap, named[i].word);
    return;
  }
  char word[PW_BIDI_WORD_MAX];
  pw_bidi_marker_name(word, sizeof word, c);
  if (pw_ascii_ieq(word, "Grey"))
    pw_bidi_copy_text(word, sizeof word, "Gray");
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    if (pw_ascii_ieq(word, words[i]))
      pw_bidi_copy_text(out, cap, words[i]);
}

static void take_markers(const pw_ipp_msg *m, pw_printer_facts *f) {
  const pw_ipp_attr *names = pw_ipp_find(m, PW_IPP_TAG_PRINTER, "marker-names");
  const pw_ipp_attr *types = pw_ipp_find(m, PW_IPP_TAG_PRINTER, "marker-types");
  const pw_ipp_attr *colors =
      pw_ipp_find(m, PW_IPP_TAG_PRINTER, "marker-colors");
  const pw_ipp_attr *levels =
      pw_ipp_find(m, PW_IPP_TAG_PRINTER, "marker-levels");
  size_t n = names ? names->count : levels ? levels->count : 0;
  for (size_t i = 0; i < n && i < PW_BIDI_MAX_MARKERS; i++) {
    char type[PW_BIDI_WORD_MAX], color[PW_BIDI_WORD_MAX];
    int32_t level = -1;
    marker_type(types ? pw_ipp_get_text(m, types, i) : NULL, type, sizeof type);
    marker_color(colors ? pw_ipp_get_text(m, colors, i) : NULL, color,
                 sizeof color);
    if (!levels || pw_ipp_get_integer(m, levels, i, &level) != PW_OK)
      level = -1; /* -2 unknown, -3 "some left" (PWG): all unknown here */
    (void)pw_printer_facts_add_marker(
        f, names ? pw_ipp_get_text(m, names, i) : NULL, type, color, level);
  }
}

/* ---- the whole answer ---- */

static void take_model(pw_printer_facts *f) {
  if (f->known & PW_FACT_DEVICE_ID) {
    if (device_id_field(f->device_id, "MFG", "MANUFACTURER", f->manufacturer,
                        sizeof f->manufacturer))
      f->known |= PW_FACT_MANUFACTURER;
    if (device_id_field(f->device_id, "MDL", "MODEL", f->model,
                        sizeof f->model))
      f->known |= PW_FACT_MODEL;
  }
  /* "Example Printer 9" with manufacturer "Example": model "Printer 9". */
  size_t ml = strlen(f->manufacturer);
  if (!(f->known & PW_FACT_MODEL) && (f->known & PW_FACT_MANUFACTURER) &&
      (f->known & PW_FACT_MAKE_MODEL) && ml && strlen(f->make_model) > ml + 1 &&
      f->make_model[ml] == ' ') {
    char prefix[PW_BIDI_TEXT_MAX];
    memcpy(prefix, f->make_model, ml);
    prefix[ml] = '\0';
    if (pw_ascii_ieq(prefix, f->manufacturer)) {
      pw_bidi_copy_text(f->model, sizeof f->model, f->make_model + ml + 1);
      if (f->model[0])
        f->known |= PW_FACT_MODEL;
    }
  }
}

void pw_ipp_facts_from_msg(const pw_ipp_msg *m, pw_printer_facts *f) {
  pw_printer_facts_init(f);
  if (!m || !pw_ipp_status_is_success(m->code))
    return;
  const pw_ipp_attr *a;
  int32_t state = 0;
  if ((a = pw_ipp_find(m, PW_IPP_TAG_PRINTER, "printer-state")) &&
      pw_ipp_get_integer(m, a, 0, &state) == PW_OK && state >= 3 &&
      state <= 5) {
    f->state = state == 3   ? PW_PRINTER_IDLE
               : state == 4 ? PW_PRINTER_PRINTING
                            : PW_PRINTER_STOPPED;
    f->known |= PW_FACT_STATE;
  }
  int accepting = 0;
  if ((a = pw_ipp_find(m, PW_IPP_TAG_PRINTER, "printer-is-accepting-jobs")) &&
      pw_ipp_get_boolean(m, a, 0, &accepting) == PW_OK) {
    f->accepting = accepting;
    f->known |= PW_FACT_ACCEPTING;
  }
  if ((a = pw_ipp_find(m, PW_IPP_TAG_PRINTER, "printer-state-reasons"))) {
    size_t used = 0;
    for (size_t i = 0; i < a->count; i++) {
      const char *k = pw_ipp_get_text(m, a, i);
      if (!k)
        continue;
      take_reason(f, k);
      char one[PW_BIDI_TEXT_MAX];
      pw_bidi_copy_text(one, sizeof one, k);
      size_t l = strlen(one);
      if (used + l + 3 < sizeof f->reasons_text) {
        if (used) {
          memcpy(f->reasons_text + used, ", ", 2);
          used += 2;
        }
        memcpy(f->reasons_text + used, one, l + 1);
        used += l;
      }
    }
    f->known |= PW_FACT_REASONS;
  }
  if ((a = pw_ipp_find(m, PW_IPP_TAG_PRINTER, "printer-make-and-model")) &&
      pw_bidi_copy_text(f->make_model, sizeof f->make_model,
                        pw_ipp_get_text(m, a, 0))[0])
    f->known |= PW_FACT_MAKE_MODEL;
  if ((a = pw_ipp_find(m, PW_IPP_TAG_PRINTER, "printer-device-id")) &&
      pw_bidi_copy_text(f->device_id, sizeof f->device_id,
                        pw_ipp_get_text(m, a, 0))[0])
    f->known |= PW_FACT_DEVICE_ID;
  take_model(f);
  take_markers(m, f);
}

static void take_facts(void *ctx, const pw_ipp_msg *m) {
  /* A 1.1 printer first refuses the 2.0 request: only a successful
   * answer counts (from_msg leaves f empty otherwise). */
  pw_ipp_facts_from_msg(m, ctx);
}

int pw_ipp_facts(const pw_dest_start *st, pw_printer_facts *f, char *errbuf,
                 size_t errlen) {
  pw_printer_facts_init(f);
  const pw_ipp_options *o = pw_ipp_opts(st->cfg);
  if (!o)
    return PW_EINVAL;
  pw_ipp_options once = *o;
  once.retries = 0; /* one attempt: the spooler's thread waits for this */
  pw_dest_job job;
  memset(&job, 0, sizeof job);
  job.o = &once;
  job.cancel = st->cancel;
  job.connect_ms = st->timeouts.connect_ms;
  atomic_init(&job.read_ms, st->timeouts.read_ms);
  atomic_init(&job.write_ms, st->timeouts.write_ms);
  job.version = PW_IPP_VERSION_2_0;
  job.tls.server_name = o->host;
  job.tls.pin_sha256 = o->has_pin ? o->pin : NULL;
  job.tls.insecure = !o->verify;
  job.gpa_asked = bidi_asked;
  job.gpa_nasked = sizeof bidi_asked / sizeof bidi_asked[0];
  job.on_gpa = take_facts;
  job.gpa_ctx = f;
  int rc =
      pw_ippx_target_init(&job.target, o->tls, o->host, o->port, o->resource);
  pw_ippx_reply r;
  if (rc == PW_OK)
    rc = pw_ippj_get_printer_attributes(&job, &r, errbuf, errlen);
  pw_netconn_close(&job.conn);
  pw_ippx_target_free(&job.target);
  return rc;
}
