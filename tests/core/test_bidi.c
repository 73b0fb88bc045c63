/* The Bidi model (src/core/bidi.h): which schema paths portway answers,
 * what each answer is made of, and how hostile requests are answered. The
 * IPP port's facts and pw_port_bidi are test_bidi_ipp.c; the Win32
 * containers are tests/monitor/test_bidi.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bidi.h"
#include "portway/error.h"
#include "test.h"

#define STATE "\\Printer.Status.Summary:State"
#define REASON "\\Printer.Status.Summary:StateReason"
#define MAKER "\\Printer.DeviceInfo:Manufacturer"
#define MODEL "\\Printer.DeviceInfo:ModelName"
#define DEVID "\\Printer.DeviceInfo:IEEE1284DeviceID"

/* One call with requests numbered 100, 101, ... */
static pw_bidi_response *call(const pw_printer_facts *f, pw_bidi_action a,
                              const char *const *paths, size_t n) {
  pw_bidi_request reqs[16];
  pw_bidi_response *r = NULL;
  for (size_t i = 0; i < n && i < 16; i++) {
    reqs[i].req = (uint32_t)(100 + i);
    reqs[i].schema = paths[i];
  }
  return pw_bidi_answer(f, a, n ? reqs : NULL, n, &r) == PW_OK ? r : NULL;
}

static pw_bidi_response *get1(const pw_printer_facts *f, const char *path) {
  return call(f, PW_BIDI_GET, &path, 1);
}

/* An idle office laser with two toners and a waste box. */
static void office_printer(pw_printer_facts *f) {
  pw_printer_facts_init(f);
  f->state = PW_PRINTER_IDLE;
  f->reasons = 0;
  snprintf(f->make_model, sizeof f->make_model, "Example LaserBeam 9");
  snprintf(f->manufacturer, sizeof f->manufacturer, "Example");
  snprintf(f->model, sizeof f->model, "LaserBeam 9");
  snprintf(f->device_id, sizeof f->device_id,
           "MFG:Example;MDL:LaserBeam 9;CMD:PCL,PJL;");
  f->known = PW_FACT_STATE | PW_FACT_REASONS | PW_FACT_MAKE_MODEL |
             PW_FACT_MANUFACTURER | PW_FACT_MODEL | PW_FACT_DEVICE_ID;
  pw_printer_facts_add_marker(f, "Black Toner", "Toner", "Black", 73);
  pw_printer_facts_add_marker(f, "Cyan Toner", "Toner", "Cyan", 5);
  pw_printer_facts_add_marker(f, "Waste Toner Box", "WasteToner", "", -2);
}

TEST(the_four_actions_are_recognised_in_any_case) {
  pw_bidi_action a;
  ASSERT_EQ(pw_bidi_action_parse("EnumSchema", &a), PW_OK);
  ASSERT_EQ(a, PW_BIDI_ENUM_SCHEMA);
  ASSERT_EQ(pw_bidi_action_parse("get", &a), PW_OK);
  ASSERT_EQ(a, PW_BIDI_GET);
  ASSERT_EQ(pw_bidi_action_parse("GETALL", &a), PW_OK);
  ASSERT_EQ(a, PW_BIDI_GET_ALL);
  ASSERT_EQ(pw_bidi_action_parse("sEt", &a), PW_OK);
  ASSERT_EQ(a, PW_BIDI_SET);
  ASSERT_EQ(pw_bidi_action_parse("GetWithArgument", &a), PW_ENOTSUP);
  ASSERT_EQ(pw_bidi_action_parse("Get ", &a), PW_ENOTSUP);
  ASSERT_EQ(pw_bidi_action_parse("", &a), PW_ENOTSUP);
  ASSERT_EQ(pw_bidi_action_parse(NULL, &a), PW_EINVAL);
}

TEST(enum_schema_lists_each_path_and_one_set_per_consumable_as_text) {
  pw_printer_facts f;
  office_printer(&f);
  pw_bidi_response *r = call(&f, PW_BIDI_ENUM_SCHEMA, NULL, 0);
  ASSERT(r != NULL);
  ASSERT_EQ(r->count, 5 + 3 * 4);
  static const char *const want[] = {
      STATE,
      REASON,
      MAKER,
      MODEL,
      DEVID,
      "\\Printer.Consumables.BlackToner:Installed",
      "\\Printer.Consumables.BlackToner:Type",
      "\\Printer.Consumables.BlackToner:Color",
      "\\Printer.Consumables.BlackToner:Level"};
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    ASSERT_EQ(r->values[i].result, PW_BIDI_OK);
    ASSERT_EQ(r->values[i].type, PW_BIDI_TEXT);
    ASSERT(r->values[i].schema == NULL);
    ASSERT_STREQ(r->values[i].text, want[i]);
  }
  ASSERT_STREQ(r->values[16].text, "\\Printer.Consumables.WasteTonerBox:Level");
  ASSERT(!pw_bidi_response_has_errors(r));
  pw_bidi_response_free(r);
  /* Nothing known: the fixed paths only. */
  r = call(NULL, PW_BIDI_ENUM_SCHEMA, NULL, 0);
  ASSERT(r != NULL);
  ASSERT_EQ(r->count, 5);
  pw_bidi_response_free(r);
}

TEST(state_is_idle_processing_or_stopped_as_a_bidi_string) {
  pw_printer_facts f;
  static const struct {
    pw_printer_state s;
    const char *word;
  } cases[] = {{PW_PRINTER_IDLE, "Idle"},
               {PW_PRINTER_PRINTING, "Processing"},
               {PW_PRINTER_STOPPED, "Stopped"}};
  for (size_t i = 0; i < 3; i++) {
    office_printer(&f);
    f.state = cases[i].s;
    pw_bidi_response *r = get1(&f, STATE);
    ASSERT(r != NULL);
    ASSERT_EQ(r->count, 1);
    ASSERT_EQ(r->values[0].result, PW_BIDI_OK);
    ASSERT_EQ(r->values[0].req, 100);
    ASSERT_EQ(r->values[0].type, PW_BIDI_STRING);
    ASSERT_STREQ(r->values[0].schema, STATE);
    ASSERT_STREQ(r->values[0].text, cases[i].word);
    pw_bidi_response_free(r);
  }
  /* A device that only says it is offline does not process jobs. */
  pw_printer_facts_init(&f);
  f.online = 0;
  f.known = PW_FACT_ONLINE;
  pw_bidi_response *r = get1(&f, STATE);
  ASSERT(r != NULL);
  ASSERT_STREQ(r->values[0].text, "Stopped");
  pw_bidi_response_free(r);
}

TEST(a_listed_path_the_printer_did_not_report_is_no_data) {
  pw_printer_facts f;
  pw_printer_facts_init(&f);
  static const char *const paths[] = {STATE, REASON, MAKER, MODEL, DEVID};
  pw_bidi_response *r = call(&f, PW_BIDI_GET, paths, 5);
  ASSERT(r != NULL);
  ASSERT_EQ(r->count, 5);
  for (size_t i = 0; i < 5; i++) {
    ASSERT_EQ(r->values[i].result, PW_BIDI_NO_DATA);
    ASSERT_EQ(r->values[i].req, 100 + i);
    ASSERT_EQ(r->values[i].type, PW_BIDI_NULL);
    ASSERT_STREQ(r->values[i].schema, paths[i]);
    ASSERT(r->values[i].text == NULL);
  }
  ASSERT(pw_bidi_response_has_errors(r));
  pw_bidi_response_free(r);
  /* NULL facts: the same. */
  r = get1(NULL, MODEL);
  ASSERT(r != NULL);
  ASSERT_EQ(r->values[0].result, PW_BIDI_NO_DATA);
  pw_bidi_response_free(r);
}

TEST(a_path_outside_the_table_is_schema_not_supported_per_request) {
  pw_printer_facts f;
  office_printer(&f);
  static const char *const paths[] = {
      "\\Printer.Configuration.DuplexUnit:Installed",
      STATE,
      "\\Printer.Status.Summary:Online",
      "\\Printer.DeviceInfo:PageCount",
      "\\Printer.DeviceInfo",
      "Printer.DeviceInfo:ModelName"};
  pw_bidi_response *r = call(&f, PW_BIDI_GET, paths, 6);
  ASSERT(r != NULL);
  ASSERT_EQ(r->count, 6);
  ASSERT_EQ(r->values[0].result, PW_BIDI_SCHEMA_NOT_SUPPORTED);
  ASSERT(r->values[0].schema == NULL);
  ASSERT_EQ(r->values[1].result, PW_BIDI_OK); /* the others still answer */
  for (size_t i = 2; i < 6; i++) {
    ASSERT_EQ(r->values[i].result, PW_BIDI_SCHEMA_NOT_SUPPORTED);
    ASSERT_EQ(r->values[i].req, 100 + i);
  }
  pw_bidi_response_free(r);
}

TEST(paths_match_in_any_case_and_answers_use_the_schemas_spelling) {
  pw_printer_facts f;
  office_printer(&f);
  pw_bidi_response *r = get1(&f, "\\PRINTER.deviceinfo:modelNAME");
  ASSERT(r != NULL);
  ASSERT_EQ(r->values[0].result, PW_BIDI_OK);
  ASSERT_STREQ(r->values[0].schema, MODEL);
  ASSERT_STREQ(r->values[0].text, "LaserBeam 9");
  pw_bidi_response_free(r);
  r = get1(&f, "\\printer.consumables.blacktoner:LEVEL");
  ASSERT(r != NULL);
  ASSERT_EQ(r->values[0].result, PW_BIDI_OK);
  ASSERT_STREQ(r->values[0].schema, "\\Printer.Consumables.blacktoner:Level");
  pw_bidi_response_free(r);
}

TEST(state_reason_is_the_summary_words_in_order_or_none) {
  pw_printer_facts f;
  office_printer(&f);
  pw_bidi_response *r = get1(&f, REASON);
  ASSERT(r != NULL);
  ASSERT_STREQ(r->values[0].text, "None");
  pw_bidi_response_free(r);
  f.reasons = PW_REASON_OUTPUT_FULL | PW_REASON_MEDIA_JAM |
              PW_REASON_ATTENTION | PW_REASON_MARKER_LOW;
  r = get1(&f, REASON);
  ASSERT(r != NULL);
  ASSERT_EQ(r->values[0].type, PW_BIDI_STRING);
  ASSERT_STREQ(r->values[0].text,
               "AttentionRequired MarkerSupplyLow MediaJam OutputAreaFull");
  pw_bidi_response_free(r);
  f.reasons = 0x7ffu; /* every word fits */
  r = get1(&f, REASON);
  ASSERT(r != NULL);
  ASSERT_STREQ(r->values[0].text,
               "AttentionRequired DoorOpen MarkerSupplyEmpty MarkerSupplyLow "
               "MediaEmpty MediaJam MediaLow MediaNeeded Paused "
               "OutputAreaAlmostFull OutputAreaFull");
  pw_bidi_response_free(r);
}

TEST(model_name_is_the_model_alone_when_known_else_make_and_model) {
  pw_printer_facts f;
  office_printer(&f);
  f.known &= ~(PW_FACT_MODEL | PW_FACT_MANUFACTURER);
  static const char *const paths[] = {MODEL, MAKER};
  pw_bidi_response *r = call(&f, PW_BIDI_GET, paths, 2);
  ASSERT(r != NULL);
  ASSERT_STREQ(r->values[0].text, "Example LaserBeam 9");
  ASSERT_EQ(r->values[1].result, PW_BIDI_NO_DATA); /* never guessed */
  pw_bidi_response_free(r);
}

TEST(a_consumable_answers_installed_type_color_and_level) {
  pw_printer_facts f;
  office_printer(&f);
  static const char *const paths[] = {
      "\\Printer.Consumables.BlackToner:Installed",
      "\\Printer.Consumables.BlackToner:Type",
      "\\Printer.Consumables.BlackToner:Color",
      "\\Printer.Consumables.BlackToner:Level",
      "\\Printer.Consumables.WasteTonerBox:Level",
      "\\Printer.Consumables.WasteTonerBox:Color",
      "\\Printer.Consumables.MagentaToner:Level",
      "\\Printer.Consumables.BlackToner:Model"};
  pw_bidi_response *r = call(&f, PW_BIDI_GET, paths, 8);
  ASSERT(r != NULL);
  ASSERT_EQ(r->count, 8);
  ASSERT_EQ(r->values[0].type, PW_BIDI_BOOL);
  ASSERT_EQ(r->values[0].i, 1);
  ASSERT_EQ(r->values[1].type, PW_BIDI_STRING);
  ASSERT_STREQ(r->values[1].text, "Toner");
  ASSERT_STREQ(r->values[2].text, "Black");
  ASSERT_EQ(r->values[3].type, PW_BIDI_INT);
  ASSERT_EQ(r->values[3].i, 73);
  /* "not measurable": -1 is the documented answer, not an error */
  ASSERT_EQ(r->values[4].result, PW_BIDI_OK);
  ASSERT_EQ(r->values[4].i, -1);
  ASSERT_EQ(r->values[5].result, PW_BIDI_NO_DATA); /* no colour */
  ASSERT_EQ(r->values[6].result, PW_BIDI_NO_DATA); /* no such consumable */
  ASSERT_STREQ(r->values[6].schema, "\\Printer.Consumables.MagentaToner:Level");
  ASSERT_EQ(r->values[7].result, PW_BIDI_SCHEMA_NOT_SUPPORTED); /* Model */
  pw_bidi_response_free(r);
}

TEST(get_all_returns_every_value_with_data_below_the_requested_path) {
  pw_printer_facts f;
  office_printer(&f);
  static const char *const paths[] = {
      "\\Printer.Consumables", "\\Printer.Consumables.CyanToner",
      "\\Printer.Configuration", "\\printer.status"};
  pw_bidi_response *r = call(&f, PW_BIDI_GET_ALL, paths, 4);
  ASSERT(r != NULL);
  /* 4 + 4 + 3 values with data (the waste box has no colour), 4 for
   * cyan, one not-supported answer, two status values */
  ASSERT_EQ(r->count, 11 + 4 + 1 + 2);
  ASSERT_EQ(r->values[0].req, 100);
  ASSERT_STREQ(r->values[0].schema,
               "\\Printer.Consumables.BlackToner:Installed");
  ASSERT_STREQ(r->values[10].schema,
               "\\Printer.Consumables.WasteTonerBox:Level");
  ASSERT_EQ(r->values[10].req, 100);
  ASSERT_EQ(r->values[11].req, 101);
  ASSERT_STREQ(r->values[11].schema,
               "\\Printer.Consumables.CyanToner:Installed");
  ASSERT_EQ(r->values[14].i, 5);
  ASSERT_EQ(r->values[15].req, 102);
  ASSERT_EQ(r->values[15].result, PW_BIDI_SCHEMA_NOT_SUPPORTED);
  ASSERT_EQ(r->values[16].req, 103);
  ASSERT_STREQ(r->values[16].schema, STATE);
  ASSERT_STREQ(r->values[17].schema, REASON);
  pw_bidi_response_free(r);
  /* "\Printer": everything */
  static const char *const all[] = {"\\Printer"};
  r = call(&f, PW_BIDI_GET_ALL, all, 1);
  ASSERT(r != NULL);
  ASSERT_EQ(r->count, 5 + 11);
  pw_bidi_response_free(r);
}

TEST(get_all_of_a_known_part_without_values_is_one_no_data_answer) {
  pw_printer_facts f;
  pw_printer_facts_init(&f);
  static const char *const paths[] = {"\\Printer.Consumables",
                                      "\\Printer.Consumables.BlackToner"};
  pw_bidi_response *r = call(&f, PW_BIDI_GET_ALL, paths, 2);
  ASSERT(r != NULL);
  ASSERT_EQ(r->count, 2);
  ASSERT_EQ(r->values[0].result, PW_BIDI_NO_DATA);
  ASSERT_STREQ(r->values[0].schema, "\\Printer.Consumables");
  ASSERT_EQ(r->values[1].result, PW_BIDI_NO_DATA);
  ASSERT_EQ(r->values[1].req, 101);
  pw_bidi_response_free(r);
}

TEST(an_unreachable_printer_answers_device_offline_per_value) {
  pw_printer_facts f;
  pw_printer_facts_init(&f);
  f.state = PW_PRINTER_OFFLINE;
  f.known = PW_FACT_STATE;
  static const char *const paths[] = {STATE, "\\Nowhere"};
  pw_bidi_response *r = call(&f, PW_BIDI_GET, paths, 2);
  ASSERT(r != NULL);
  ASSERT_EQ(r->values[0].result, PW_BIDI_DEVICE_OFFLINE);
  ASSERT_EQ(r->values[1].result, PW_BIDI_SCHEMA_NOT_SUPPORTED);
  pw_bidi_response_free(r);
  static const char *const all[] = {"\\Printer"};
  r = call(&f, PW_BIDI_GET_ALL, all, 1);
  ASSERT(r != NULL);
  ASSERT_EQ(r->count, 1);
  ASSERT_EQ(r->values[0].result, PW_BIDI_DEVICE_OFFLINE);
  pw_bidi_response_free(r);
  r = call(&f, PW_BIDI_ENUM_SCHEMA, NULL, 0); /* still lists the table */
  ASSERT(r != NULL);
  ASSERT_EQ(r->count, 5);
  pw_bidi_response_free(r);
}

TEST(set_is_refused_read_only_or_not_supported_per_request) {
  pw_printer_facts f;
  office_printer(&f);
  static const char *const paths[] = {
      MODEL, "\\Printer.Consumables.BlackToner:Level", "\\Printer.Foo"};
  pw_bidi_response *r = call(&f, PW_BIDI_SET, paths, 3);
  ASSERT(r != NULL);
  ASSERT_EQ(r->count, 3);
  ASSERT_EQ(r->values[0].result, PW_BIDI_SCHEMA_READ_ONLY);
  ASSERT_STREQ(r->values[0].schema, MODEL);
  ASSERT_EQ(r->values[1].result, PW_BIDI_SCHEMA_READ_ONLY);
  ASSERT_EQ(r->values[2].result, PW_BIDI_SCHEMA_NOT_SUPPORTED);
  pw_bidi_response_free(r);
  ASSERT(!pw_bidi_needs_facts(PW_BIDI_SET, NULL, 0));
}

TEST(hostile_paths_are_not_supported_and_nothing_breaks) {
  char longp[PW_BIDI_MAX_PATH + 8];
  memset(longp, 'A', sizeof longp - 1);
  longp[sizeof longp - 1] = '\0';
  memcpy(longp, MODEL, sizeof MODEL - 1);
  char longname[128];
  snprintf(longname, sizeof longname, "\\Printer.Consumables.%064d:Level", 7);
  static const char *const fixed[] = {
      "",
      "\\",
      " \\Printer.DeviceInfo:ModelName",
      "\\Printer.DeviceInfo:ModelName ",
      "\\Printer.DeviceInfo:Model\tName",
      "\\Printer.Dev\xc3\xad"
      "ceInfo:ModelName",
      "\\Printer.Consumables.:Level",
      "\\Printer.Consumables.Black Toner:Level",
      "\\Printer.Consumables.BlackToner:",
      "\\Printer.Consumables.BlackToner",
      "\\Printer.Consumables.BlackToner:Level:Level",
      NULL};
  pw_printer_facts f;
  office_printer(&f);
  for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
    pw_bidi_response *r = get1(&f, fixed[i]);
    ASSERT(r != NULL);
    ASSERT_EQ(r->values[0].result, PW_BIDI_SCHEMA_NOT_SUPPORTED);
    pw_bidi_response_free(r);
  }
  const char *hostile[] = {longp, longname};
  pw_bidi_response *r = call(&f, PW_BIDI_GET, hostile, 2);
  ASSERT(r != NULL);
  ASSERT_EQ(r->values[0].result, PW_BIDI_SCHEMA_NOT_SUPPORTED);
  ASSERT_EQ(r->values[1].result, PW_BIDI_SCHEMA_NOT_SUPPORTED);
  pw_bidi_response_free(r);
  /* an embedded NUL is not a shorter path */
  ASSERT(pw_bidi_schema_supported(MODEL, sizeof MODEL - 1, NULL, 0));
  ASSERT(!pw_bidi_schema_supported(MODEL "\0x", sizeof MODEL + 1, NULL, 0));
  ASSERT(!pw_bidi_schema_supported(MODEL, sizeof MODEL, NULL, 0));
  char canon[8];
  ASSERT(
      pw_bidi_schema_supported(MODEL, sizeof MODEL - 1, canon, sizeof canon));
  ASSERT_STREQ(canon, ""); /* too small: empty, never cut */
  /* calls that are wrong as a whole */
  pw_bidi_request q = {1, MODEL};
  ASSERT_EQ(pw_bidi_answer(&f, PW_BIDI_GET, NULL, 0, &r), PW_EINVAL);
  ASSERT_EQ(pw_bidi_answer(&f, PW_BIDI_GET, NULL, 1, &r), PW_EINVAL);
  ASSERT_EQ(pw_bidi_answer(&f, PW_BIDI_GET, &q, PW_BIDI_MAX_REQUESTS + 1, &r),
            PW_EINVAL);
  ASSERT_EQ(pw_bidi_answer(&f, PW_BIDI_GET, &q, 1, NULL), PW_EINVAL);
  ASSERT_EQ(pw_bidi_answer(&f, (pw_bidi_action)42, &q, 1, &r), PW_EINVAL);
}

TEST(answering_needs_the_printer_only_for_paths_it_can_answer) {
  pw_bidi_request some[] = {{1, "\\Printer.Foo:Bar"}, {2, MODEL}};
  ASSERT(pw_bidi_needs_facts(PW_BIDI_ENUM_SCHEMA, NULL, 0));
  ASSERT(!pw_bidi_needs_facts(PW_BIDI_GET, some, 1));
  ASSERT(pw_bidi_needs_facts(PW_BIDI_GET, some, 2));
  pw_bidi_request prefix[] = {{1, "\\Printer"}};
  ASSERT(pw_bidi_needs_facts(PW_BIDI_GET_ALL, prefix, 1));
  ASSERT(!pw_bidi_needs_facts(PW_BIDI_GET, prefix, 1));
}

TEST(device_text_is_kept_as_clean_utf8_cut_on_a_character) {
  char out[8];
  ASSERT_STREQ(pw_bidi_copy_text(out, sizeof out, "  a\tb\x01 "), "a?b?");
  ASSERT_STREQ(pw_bidi_copy_text(out, sizeof out, "x\xff\xc3(y"), "x?"
                                                                  "?(y");
  ASSERT_STREQ(pw_bidi_copy_text(out, sizeof out, "abcde\xc3\xa9"),
               "abcde\xc3\xa9");
  ASSERT_STREQ(pw_bidi_copy_text(out, sizeof out, "abcdef\xc3\xa9"), "abcdef");
  ASSERT_STREQ(pw_bidi_copy_text(out, sizeof out, NULL), "");
}

TEST(consumable_names_are_schema_names_unique_and_at_most_sixteen) {
  pw_printer_facts f;
  pw_printer_facts_init(&f);
  ASSERT(pw_printer_facts_add_marker(&f, "black toner", "Toner", "Black", 50));
  ASSERT(pw_printer_facts_add_marker(&f, "Black-Toner", NULL, NULL, 101));
  ASSERT(pw_printer_facts_add_marker(&f, "\xe2\x98\x83 !", "", "", 0));
  ASSERT_STREQ(f.markers[0].name, "BlackToner");
  ASSERT_STREQ(f.markers[1].name, "BlackToner2");
  ASSERT_EQ(f.markers[1].level, -1); /* beyond 100: unknown */
  ASSERT_STREQ(f.markers[1].type, "");
  ASSERT_STREQ(f.markers[2].name, "Marker3");
  ASSERT(f.known & PW_FACT_MARKERS);
  for (size_t i = 3; i < PW_BIDI_MAX_MARKERS; i++)
    ASSERT(pw_printer_facts_add_marker(&f, "Ink", "Ink", "Cyan", 1));
  ASSERT(!pw_printer_facts_add_marker(&f, "Ink", "Ink", "Cyan", 1));
  ASSERT_EQ(f.nmarkers, PW_BIDI_MAX_MARKERS);
  ASSERT_STREQ(f.markers[4].name, "Ink2");
  char n[PW_BIDI_NAME_MAX + 8];
  char big[200];
  memset(big, 'k', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  ASSERT_EQ(strlen(pw_bidi_marker_name(n, sizeof n, big)),
            PW_BIDI_NAME_MAX - 1);
}

TEST_MAIN(
    TEST_ENTRY(the_four_actions_are_recognised_in_any_case),
    TEST_ENTRY(enum_schema_lists_each_path_and_one_set_per_consumable_as_text),
    TEST_ENTRY(state_is_idle_processing_or_stopped_as_a_bidi_string),
    TEST_ENTRY(a_listed_path_the_printer_did_not_report_is_no_data),
    TEST_ENTRY(a_path_outside_the_table_is_schema_not_supported_per_request),
    TEST_ENTRY(paths_match_in_any_case_and_answers_use_the_schemas_spelling),
    TEST_ENTRY(state_reason_is_the_summary_words_in_order_or_none),
    TEST_ENTRY(model_name_is_the_model_alone_when_known_else_make_and_model),
    TEST_ENTRY(a_consumable_answers_installed_type_color_and_level),
    TEST_ENTRY(get_all_returns_every_value_with_data_below_the_requested_path),
    TEST_ENTRY(get_all_of_a_known_part_without_values_is_one_no_data_answer),
    TEST_ENTRY(an_unreachable_printer_answers_device_offline_per_value),
    TEST_ENTRY(set_is_refused_read_only_or_not_supported_per_request),
    TEST_ENTRY(hostile_paths_are_not_supported_and_nothing_breaks),
    TEST_ENTRY(answering_needs_the_printer_only_for_paths_it_can_answer),
    TEST_ENTRY(device_text_is_kept_as_clean_utf8_cut_on_a_character),
    TEST_ENTRY(consumable_names_are_schema_names_unique_and_at_most_sixteen))
