/* Bidi on IPP ports: what a Get-Printer-Attributes answer means in the
 * Bidi schema (pw_ipp_facts_from_msg), and pw_port_bidi against the
 * loopback IPP printer (tests/core/support/ippserver.c): the printer asked
 * once per call on a connection of its own, an unreachable printer answers
 * "device offline", other port types have no Bidi, ClosePort cancels a
 * query the printer never answers. CUPS's ippeveprinter is asked through
 * portway.dll and monrun in tests/e2e/spooler_e2e.sh. Loopback only. */
#define _DEFAULT_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/bidi.h"
#include "core/dest/ipp_job.h"
#include "core/ipp.h"
#include "fixture.h"
#include "ippserver.h"
#include "test.h"

#define STATE "\\Printer.Status.Summary:State"
#define REASON "\\Printer.Status.Summary:StateReason"
#define MAKER "\\Printer.DeviceInfo:Manufacturer"
#define MODEL "\\Printer.DeviceInfo:ModelName"
#define DEVID "\\Printer.DeviceInfo:IEEE1284DeviceID"

/* ---- the meaning of an answer ---- */

/* A Get-Printer-Attributes answer with the given reasons and description,
 * decoded into facts. */
static int facts_of(unsigned status, int state, const char *const *reasons,
                    size_t nreasons, const char *make_model,
                    const char *device_id, pw_printer_facts *f) {
  pw_ipp_writer w = {0};
  pw_ipp_msg m;
  pw_ipp_begin(&w, PW_IPP_VERSION_2_0, status, 1);
  pw_ipp_group(&w, PW_IPP_TAG_OPERATION);
  pw_ipp_add_string(&w, PW_IPP_TAG_CHARSET, "attributes-charset", "utf-8");
  pw_ipp_group(&w, PW_IPP_TAG_PRINTER);
  pw_ipp_add_integer(&w, PW_IPP_TAG_ENUM, "printer-state", state);
  pw_ipp_add_strings(&w, PW_IPP_TAG_KEYWORD, "printer-state-reasons", reasons,
                     nreasons);
  pw_ipp_add_boolean(&w, "printer-is-accepting-jobs", 0);
  if (make_model)
    pw_ipp_add_string(&w, PW_IPP_TAG_TEXT, "printer-make-and-model",
                      make_model);
  if (device_id)
    pw_ipp_add_string(&w, PW_IPP_TAG_TEXT, "printer-device-id", device_id);
  static const char *const names[] = {"Black Toner", "Tri-Color Ink",
                                      "Waste Box", "Fuser"};
  static const char *const types[] = {"toner-cartridge", "ink-cartridge",
                                      "waste-toner", "fuser"};
  static const char *const colors[] = {"#000000", "#00FFFF#FF00FF#FFFF00",
                                       "none", "#123456"};
  pw_ipp_add_strings(&w, PW_IPP_TAG_NAME, "marker-names", names, 4);
  pw_ipp_add_strings(&w, PW_IPP_TAG_KEYWORD, "marker-types", types, 4);
  pw_ipp_add_strings(&w, PW_IPP_TAG_NAME, "marker-colors", colors, 4);
  pw_ipp_add_integer(&w, PW_IPP_TAG_INTEGER, "marker-levels", 80);
  pw_ipp_add_integer(&w, PW_IPP_TAG_INTEGER, NULL, 3);
  pw_ipp_add_integer(&w, PW_IPP_TAG_INTEGER, NULL, -3);
  /* the fourth level is missing */
  pw_ipp_end(&w);
  int rc = pw_ipp_writer_status(&w);
  if (rc == PW_OK)
    rc = pw_ipp_decode(w.buf.data, w.buf.len, &m);
  pw_ipp_writer_free(&w);
  if (rc != PW_OK)
    return rc;
  pw_ipp_facts_from_msg(&m, f);
  pw_ipp_msg_free(&m);
  return PW_OK;
}

TEST(printer_state_3_4_5_is_idle_printing_stopped) {
  static const char *const none[] = {"none"};
  pw_printer_facts f;
  ASSERT_EQ(facts_of(0, 3, none, 1, NULL, NULL, &f), PW_OK);
  ASSERT(f.known & PW_FACT_STATE);
  ASSERT_EQ(f.state, PW_PRINTER_IDLE);
  ASSERT(f.known & PW_FACT_REASONS);
  ASSERT_EQ(f.reasons, 0);
  ASSERT_STREQ(f.reasons_text, "none");
  ASSERT(f.known & PW_FACT_ACCEPTING);
  ASSERT_EQ(f.accepting, 0);
  ASSERT_EQ(facts_of(0, 4, none, 1, NULL, NULL, &f), PW_OK);
  ASSERT_EQ(f.state, PW_PRINTER_PRINTING);
  ASSERT_EQ(facts_of(0, 5, none, 1, NULL, NULL, &f), PW_OK);
  ASSERT_EQ(f.state, PW_PRINTER_STOPPED);
  ASSERT_EQ(facts_of(0, 9, none, 1, NULL, NULL, &f), PW_OK);
  ASSERT(!(f.known & PW_FACT_STATE)); /* not a printer-state */
}

TEST(state_reasons_become_summary_words_whatever_their_severity) {
  static const char *const r[] = {"media-empty-error", "toner-low-warning",
                                  "cover-open",        "media-jam-report",
                                  "output-area-full",  "moving-to-paused",
                                  "offline-report"};
  pw_printer_facts f;
  ASSERT_EQ(facts_of(0, 5, r, 7, NULL, NULL, &f), PW_OK);
  ASSERT_EQ(f.reasons, PW_REASON_MEDIA_EMPTY | PW_REASON_MARKER_LOW |
                           PW_REASON_DOOR_OPEN | PW_REASON_MEDIA_JAM |
                           PW_REASON_OUTPUT_FULL | PW_REASON_PAUSED);
  ASSERT(f.known & PW_FACT_ONLINE); /* "offline" says so */
  ASSERT_EQ(f.online, 0);
  ASSERT_STREQ(f.reasons_text,
               "media-empty-error, toner-low-warning, cover-open, "
               "media-jam-report, output-area-full, moving-to-paused, "
               "offline-report");
}

TEST(other_errors_need_attention_other_reports_do_not) {
  static const char *const err[] = {"spool-area-full-error"};
  static const char *const rep[] = {"spool-area-full-report",
                                    "connecting-to-device"};
  pw_printer_facts f;
  ASSERT_EQ(facts_of(0, 3, err, 1, NULL, NULL, &f), PW_OK);
  ASSERT_EQ(f.reasons, PW_REASON_ATTENTION);
  ASSERT_EQ(facts_of(0, 3, rep, 2, NULL, NULL, &f), PW_OK);
  ASSERT_EQ(f.reasons, 0);
  /* unsuffixed means "error" (RFC 8011 5.4.12) when the printer stopped */
  ASSERT_EQ(facts_of(0, 5, rep, 2, NULL, NULL, &f), PW_OK);
  ASSERT_EQ(f.reasons, PW_REASON_ATTENTION);
}

TEST(device_id_gives_manufacturer_and_model_make_and_model_is_kept) {
  static const char *const none[] = {"none"};
  pw_printer_facts f;
  ASSERT_EQ(facts_of(0, 3, none, 1, "Example Printer",
                     "MFG:Example;MDL:Printer;CMD:PDF,PCL;", &f),
            PW_OK);
  ASSERT(f.known & PW_FACT_MANUFACTURER);
  ASSERT_STREQ(f.manufacturer, "Example");
  ASSERT(f.known & PW_FACT_MODEL);
  ASSERT_STREQ(f.model, "Printer");
  ASSERT_STREQ(f.make_model, "Example Printer");
  ASSERT_STREQ(f.device_id, "MFG:Example;MDL:Printer;CMD:PDF,PCL;");
  /* long key names, spaces around them */
  ASSERT_EQ(facts_of(0, 3, none, 1, "ACME LaserBeam 9",
                     " MANUFACTURER : ACME ; MODEL:LaserBeam 9", &f),
            PW_OK);
  ASSERT_STREQ(f.manufacturer, "ACME");
  ASSERT_STREQ(f.model, "LaserBeam 9");
  /* a manufacturer without a model: the model is the rest of the
   * make-and-model */
  ASSERT_EQ(facts_of(0, 3, none, 1, "acme Jet 5", "MFG:ACME;", &f), PW_OK);
  ASSERT_STREQ(f.model, "Jet 5");
  /* nothing to split on: no model alone, no manufacturer guessed */
  ASSERT_EQ(facts_of(0, 3, none, 1, "Generic PDF", NULL, &f), PW_OK);
  ASSERT(!(f.known & (PW_FACT_MODEL | PW_FACT_MANUFACTURER)));
  ASSERT(f.known & PW_FACT_MAKE_MODEL);
}

TEST(markers_become_consumables_with_schema_types_colors_and_levels) {
  static const char *const none[] = {"none"};
  pw_printer_facts f;
  ASSERT_EQ(facts_of(0, 3, none, 1, NULL, NULL, &f), PW_OK);
  ASSERT(f.known & PW_FACT_MARKERS);
  ASSERT_EQ(f.nmarkers, 4);
  ASSERT_STREQ(f.markers[0].name, "BlackToner");
  ASSERT_STREQ(f.markers[0].type, "Toner");
  ASSERT_STREQ(f.markers[0].color, "Black");
  ASSERT_EQ(f.markers[0].level, 80);
  ASSERT_STREQ(f.markers[1].name, "TriColorInk");
  ASSERT_STREQ(f.markers[1].type, "Ink");
  ASSERT_STREQ(f.markers[1].color, "Color"); /* several colours */
  ASSERT_EQ(f.markers[1].level, 3);
  ASSERT_STREQ(f.markers[2].type, "WasteToner");
  ASSERT_STREQ(f.markers[2].color, "");     /* none */
  ASSERT_EQ(f.markers[2].level, -1);        /* -3: "some left", unknown */
  ASSERT_STREQ(f.markers[3].type, "Fuser"); /* vendors may add types */
  ASSERT_STREQ(f.markers[3].color, "");     /* not a schema colour */
  ASSERT_EQ(f.markers[3].level, -1);        /* no value */
}

TEST(an_unsuccessful_answer_says_nothing) {
  static const char *const none[] = {"none"};
  pw_printer_facts f;
  ASSERT_EQ(facts_of(PW_IPP_STATUS_CLIENT_ERROR_BAD_REQUEST, 3, none, 1,
                     "Example Printer", NULL, &f),
            PW_OK);
  ASSERT_EQ(f.known, 0);
  ASSERT_EQ(f.nmarkers, 0);
}

/* ---- pw_port_bidi ---- */

static int add_port(fixture *fx, int port) {
  char cfg[128];
  snprintf(cfg, sizeof cfg,
           "uri=ipp://127.0.0.1:%d/ipp/print\ntimeout=5\nconnect_timeout=2\n",
           port);
  return pw_monitor_add_port(fx->mon, "PWB:", cfg, NULL, 0);
}

static int bidi(pw_handle h, const char *action, const char *const *paths,
                size_t n, pw_bidi_response **r) {
  pw_bidi_request reqs[8];
  for (size_t i = 0; i < n && i < 8; i++) {
    reqs[i].req = (uint32_t)i;
    reqs[i].schema = paths[i];
  }
  return pw_port_bidi(h, action, n ? reqs : NULL, n, r);
}

TEST(an_ipp_port_answers_from_one_get_printer_attributes) {
  fixture fx;
  ippserver s = {0};
  s.state = 4;
  s.reasons = "media-low-warning,none";
  s.make_model = "Example LaserBeam 9";
  s.device_id = "MFG:Example;MDL:LaserBeam 9;";
  s.marker_names = "Black Toner,Cyan Toner";
  s.marker_types = "toner,toner";
  s.marker_colors = "#000000,#00FFFF";
  s.marker_levels = "61,-2";
  pw_handle h;
  pw_bidi_response *r = NULL;
  ASSERT_EQ(ippserver_start(&s), 0);
  ASSERT_EQ(fixture_setup(&fx, "bidi"), 0);
  ASSERT_EQ(add_port(&fx, s.port), PW_OK);
  ASSERT_EQ(pw_port_open(fx.mon, "PWB:", &h), PW_OK);
  static const char *const paths[] = {STATE,
                                      REASON,
                                      MAKER,
                                      MODEL,
                                      DEVID,
                                      "\\Printer.Consumables.BlackToner:Level",
                                      "\\Printer.Consumables.CyanToner:Level",
                                      "\\Printer.Finishing:Staple"};
  ASSERT_EQ(bidi(h, "Get", paths, 8, &r), PW_OK);
  ASSERT_EQ(r->count, 8);
  ASSERT_STREQ(r->values[0].text, "Processing");
  ASSERT_STREQ(r->values[1].text, "MediaLow");
  ASSERT_STREQ(r->values[2].text, "Example");
  ASSERT_STREQ(r->values[3].text, "LaserBeam 9");
  ASSERT_STREQ(r->values[4].text, "MFG:Example;MDL:LaserBeam 9;");
  ASSERT_EQ(r->values[5].i, 61);
  ASSERT_EQ(r->values[6].i, -1);
  ASSERT_EQ(r->values[7].result, PW_BIDI_SCHEMA_NOT_SUPPORTED);
  pw_bidi_response_free(r);
  /* one request, asking for exactly what the schema needs */
  ASSERT_EQ(s.nreq, 1);
  ASSERT_EQ(s.req[0].op, PW_IPP_OP_GET_PRINTER_ATTRIBUTES);
  ASSERT(strstr(s.req[0].requested, "printer-make-and-model") != NULL);
  ASSERT(strstr(s.req[0].requested, "marker-levels") != NULL);
  ASSERT(strstr(s.req[0].requested, "printer-device-id") != NULL);
  /* GetAll on the consumables, EnumSchema with their names */
  static const char *const cons[] = {"\\Printer.Consumables"};
  ASSERT_EQ(bidi(h, "getall", cons, 1, &r), PW_OK);
  ASSERT_EQ(r->count, 8);
  pw_bidi_response_free(r);
  ASSERT_EQ(bidi(h, "ENUMSCHEMA", NULL, 0, &r), PW_OK);
  ASSERT_EQ(r->count, 5 + 8);
  pw_bidi_response_free(r);
  ASSERT_EQ(s.nreq, 3); /* once per call */
  /* Set never asks the printer */
  ASSERT_EQ(bidi(h, "Set", paths, 1, &r), PW_OK);
  ASSERT_EQ(r->values[0].result, PW_BIDI_SCHEMA_READ_ONLY);
  pw_bidi_response_free(r);
  /* nor does a Get of unsupported paths only */
  ASSERT_EQ(bidi(h, "Get", paths + 7, 1, &r), PW_OK);
  pw_bidi_response_free(r);
  ASSERT_EQ(s.nreq, 3);
  ASSERT_EQ(pw_port_close(h), PW_OK);
  fixture_teardown(&fx);
  ippserver_stop(&s);
}

TEST(an_ipp_1_1_printer_is_asked_again_in_1_1) {
  fixture fx;
  ippserver s = {0};
  s.only_v11 = 1;
  s.make_model = "Old Printer";
  pw_handle h;
  pw_bidi_response *r = NULL;
  ASSERT_EQ(ippserver_start(&s), 0);
  ASSERT_EQ(fixture_setup(&fx, "bidi11"), 0);
  ASSERT_EQ(add_port(&fx, s.port), PW_OK);
  ASSERT_EQ(pw_port_open(fx.mon, "PWB:", &h), PW_OK);
  static const char *const paths[] = {MODEL, STATE};
  ASSERT_EQ(bidi(h, "Get", paths, 2, &r), PW_OK);
  ASSERT_STREQ(r->values[0].text, "Old Printer");
  ASSERT_STREQ(r->values[1].text, "Idle");
  pw_bidi_response_free(r);
  ASSERT_EQ(s.nreq, 2);
  ASSERT_EQ(s.req[1].version, PW_IPP_VERSION_1_1);
  ASSERT_EQ(pw_port_close(h), PW_OK);
  fixture_teardown(&fx);
  ippserver_stop(&s);
}

/* A loopback port nobody listens on (bound, then closed). */
static int dead_port(void) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {0};
  socklen_t len = sizeof a;
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
      getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
    if (fd >= 0)
      close(fd);
    return -1;
  }
  close(fd);
  return ntohs(a.sin_port);
}

TEST(a_printer_that_cannot_be_reached_answers_device_offline) {
  fixture fx;
  pw_handle h;
  pw_bidi_response *r = NULL;
  int port = dead_port();
  ASSERT(port > 0);
  ASSERT_EQ(fixture_setup(&fx, "bidioff"), 0);
  ASSERT_EQ(add_port(&fx, port), PW_OK);
  ASSERT_EQ(pw_port_open(fx.mon, "PWB:", &h), PW_OK);
  static const char *const paths[] = {STATE, "\\Printer.Foo:Bar"};
  uint64_t t0 = pw_time_monotonic_ns();
  ASSERT_EQ(bidi(h, "Get", paths, 2, &r), PW_OK);
  ASSERT(pw_time_monotonic_ns() - t0 < 2000000000ull); /* no retries */
  ASSERT_EQ(r->values[0].result, PW_BIDI_DEVICE_OFFLINE);
  ASSERT_EQ(r->values[1].result, PW_BIDI_SCHEMA_NOT_SUPPORTED);
  pw_bidi_response_free(r);
  ASSERT_EQ(bidi(h, "EnumSchema", NULL, 0, &r), PW_OK);
  ASSERT_EQ(r->count, 5);
  pw_bidi_response_free(r);
  ASSERT_EQ(pw_port_close(h), PW_OK);
  fixture_teardown(&fx);
}

TEST(other_port_types_have_no_bidi_and_bad_calls_are_refused) {
  fixture fx;
  pw_handle h;
  pw_bidi_response *r = (pw_bidi_response *)&fx; /* must be reset */
  static const char *const paths[] = {STATE};
  ASSERT_EQ(fixture_setup(&fx, "bidifile"), 0);
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "PWF:", fixture_file_config(&fx, NULL),
                                NULL, 0),
            PW_OK);
  ASSERT_EQ(pw_port_open(fx.mon, "PWF:", &h), PW_OK);
  ASSERT_EQ(bidi(h, "Get", paths, 1, &r), PW_ENOTSUP);
  ASSERT(r == NULL);
  ASSERT_EQ(bidi(h, "EnumSchema", NULL, 0, &r), PW_ENOTSUP);
  ASSERT_EQ(bidi(h, "GetWithArgument", paths, 1, &r), PW_ENOTSUP);
  ASSERT_EQ(bidi(h, "Get", NULL, 0, &r), PW_EINVAL);
  ASSERT_EQ(pw_port_bidi(h, NULL, NULL, 0, &r), PW_EINVAL);
  ASSERT_EQ(pw_port_bidi(h, "Get", NULL, 1, &r), PW_EINVAL);
  ASSERT_EQ(pw_port_bidi(h, "EnumSchema", NULL, 0, NULL), PW_EINVAL);
  ASSERT_EQ(pw_port_close(h), PW_OK);
  /* stale, garbage and 0 handles */
  ASSERT_EQ(bidi(h, "Get", paths, 1, &r), PW_EBADHANDLE);
  ASSERT_EQ(bidi(0, "Get", paths, 1, &r), PW_EBADHANDLE);
  ASSERT_EQ(bidi((pw_handle)0x1234567812345678ull, "Get", paths, 1, &r),
            PW_EBADHANDLE);
  fixture_teardown(&fx);
}

/* ClosePort while a query waits for a printer that never answers. */
typedef struct closer {
  pw_handle h;
  uint32_t after_ms;
} closer;

static void close_later(void *arg) {
  closer *c = arg;
  usleep(c->after_ms * 1000u);
  (void)pw_port_close(c->h);
}

TEST(close_port_ends_a_query_the_printer_never_answers) {
  fixture fx;
  pw_handle h;
  pw_bidi_response *r = NULL;
  /* listening, never accepting: the connection is made (backlog), the
   * request goes out, no answer ever comes */
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {0};
  socklen_t len = sizeof a;
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT(fd >= 0);
  ASSERT_EQ(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
  ASSERT_EQ(listen(fd, 4), 0);
  ASSERT_EQ(getsockname(fd, (struct sockaddr *)&a, &len), 0);
  ASSERT_EQ(fixture_setup(&fx, "bidiclose"), 0);
  ASSERT_EQ(add_port(&fx, ntohs(a.sin_port)), PW_OK);
  ASSERT_EQ(pw_port_open(fx.mon, "PWB:", &h), PW_OK);
  closer c = {h, 300};
  pw_thread *t = NULL;
  ASSERT_EQ(pw_thread_start(&t, close_later, &c), PW_OK);
  static const char *const paths[] = {STATE};
  uint64_t t0 = pw_time_monotonic_ns();
  ASSERT_EQ(bidi(h, "Get", paths, 1, &r), PW_ECANCELED);
  ASSERT(r == NULL);
  ASSERT(pw_time_monotonic_ns() - t0 < 3000000000ull); /* not the 5 s */
  ASSERT_EQ(pw_thread_join(t), PW_OK);
  ASSERT_EQ(bidi(h, "Get", paths, 1, &r), PW_EBADHANDLE);
  close(fd);
  fixture_teardown(&fx);
}

TEST_MAIN(
    TEST_ENTRY(printer_state_3_4_5_is_idle_printing_stopped),
    TEST_ENTRY(state_reasons_become_summary_words_whatever_their_severity),
    TEST_ENTRY(other_errors_need_attention_other_reports_do_not),
    TEST_ENTRY(device_id_gives_manufacturer_and_model_make_and_model_is_kept),
    TEST_ENTRY(markers_become_consumables_with_schema_types_colors_and_levels),
    TEST_ENTRY(an_unsuccessful_answer_says_nothing),
    TEST_ENTRY(an_ipp_port_answers_from_one_get_printer_attributes),
    TEST_ENTRY(an_ipp_1_1_printer_is_asked_again_in_1_1),
    TEST_ENTRY(a_printer_that_cannot_be_reached_answers_device_offline),
    TEST_ENTRY(other_port_types_have_no_bidi_and_bad_calls_are_refused),
    TEST_ENTRY(close_port_ends_a_query_the_printer_never_answers))
