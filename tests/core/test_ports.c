/* Port registry: add / configure / delete / find, persistence in the store. */
#include <stdlib.h>
#include <string.h>

#include "core/handle_table.h"
#include "fixture.h"
#include "test.h"

#define SETUP(fx)                                                              \
  fixture fx;                                                                  \
  ASSERT_EQ(fixture_setup(&fx, "ports"), 0)

TEST(added_port_is_listed_and_stored_canonically) {
  SETUP(fx);
  pw_port_list list;
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "PW1:", fixture_file_config(&fx, NULL),
                                NULL, 0),
            PW_OK);
  ASSERT_EQ(pw_monitor_list_ports(fx.mon, &list), PW_OK);
  ASSERT_EQ(list.count, 1);
  ASSERT_STREQ(list.ports[0].name, "PW1:");
  ASSERT(strstr(list.ports[0].description, "file") != NULL);
  pw_port_list_free(&list);
  const char *stored = memstore_get(&fx.ms, "PW1:");
  ASSERT(stored != NULL);
  ASSERT(strncmp(stored, "uri=file:///", 12) == 0);
  ASSERT(strstr(stored, "pattern={port}-{job}-{n}.prn\n") != NULL);
  fixture_teardown(&fx);
}

TEST(port_added_by_name_only_gets_the_default_file_destination) {
  SETUP(fx);
  char *text = NULL;
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "PW2:", NULL, NULL, 0), PW_OK);
  ASSERT_EQ(pw_monitor_get_port_config(fx.mon, "PW2:", &text), PW_OK);
  ASSERT(strstr(text, "uri=file://") == text);
  ASSERT(strstr(text, "/output\n") != NULL);
  ASSERT(strstr(text, "pattern=" PW_DEFAULT_PATTERN "\n") != NULL);
  free(text);
  fixture_teardown(&fx);
}

TEST(adding_an_existing_port_fails_with_eexist_case_insensitively) {
  SETUP(fx);
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "PW1:", NULL, NULL, 0), PW_OK);
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "pw1:", NULL, NULL, 0), PW_EEXIST);
  ASSERT_EQ(fx.ms.nports, 1);
  fixture_teardown(&fx);
}

TEST(invalid_names_and_configs_are_rejected_without_storing) {
  SETUP(fx);
  char why[128] = "";
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "", NULL, NULL, 0), PW_EBADNAME);
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "a\\b", NULL, NULL, 0), PW_EBADNAME);
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "a,b", NULL, NULL, 0), PW_EBADNAME);
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "P:", "uri=file:relative/dir\n", why,
                                sizeof why),
            PW_EBADCONFIG);
  ASSERT(why[0] != '\0');
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "P:", "pattern=x\n", NULL, 0),
            PW_EBADCONFIG);
  ASSERT_EQ(fx.ms.nports, 0);
  fixture_teardown(&fx);
}

TEST(every_port_type_has_a_destination_now) {
  /* A type without one would be refused with PW_ENOTSUP at AddPort; since
   * pipe: landed, none is left. */
  SETUP(fx);
  ASSERT_EQ(
      pw_monitor_add_port(fx.mon, "NET:", "uri=pipe:/usr/bin/lpr\n", NULL, 0),
      PW_OK);
  ASSERT_EQ(fx.ms.nports, 1);
  fixture_teardown(&fx);
}

TEST(store_failure_leaves_no_port_behind) {
  SETUP(fx);
  fx.ms.fail_writes = PW_EACCES;
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "PW1:", NULL, NULL, 0), PW_EACCES);
  int exists = 1;
  ASSERT_EQ(pw_monitor_port_exists(fx.mon, "PW1:", &exists), PW_OK);
  ASSERT_EQ(exists, 0);
  fx.ms.fail_writes = 0;
  fixture_teardown(&fx);
}

TEST(configure_replaces_config_in_memory_and_store) {
  SETUP(fx);
  char *text = NULL;
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "PW1:", NULL, NULL, 0), PW_OK);
  ASSERT_EQ(pw_monitor_set_port(
                fx.mon, "PW1:", fixture_file_config(&fx, "x-{n}.bin"), NULL, 0),
            PW_OK);
  ASSERT_EQ(pw_monitor_get_port_config(fx.mon, "pw1:", &text), PW_OK);
  ASSERT(strstr(text, "pattern=x-{n}.bin\n") != NULL);
  ASSERT_STREQ(memstore_get(&fx.ms, "PW1:"), text);
  free(text);
  ASSERT_EQ(pw_monitor_set_port(fx.mon, "NOPE:", "uri=file:///tmp\n", NULL, 0),
            PW_ENOENT);
  fixture_teardown(&fx);
}

TEST(delete_removes_from_list_and_store_and_unknown_gives_enoent) {
  SETUP(fx);
  int exists = 1;
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "PW1:", NULL, NULL, 0), PW_OK);
  ASSERT_EQ(pw_monitor_delete_port(fx.mon, "pw1:"), PW_OK);
  ASSERT_EQ(pw_monitor_port_exists(fx.mon, "PW1:", &exists), PW_OK);
  ASSERT_EQ(exists, 0);
  ASSERT(memstore_get(&fx.ms, "PW1:") == NULL);
  ASSERT_EQ(pw_monitor_delete_port(fx.mon, "PW1:"), PW_ENOENT);
  fixture_teardown(&fx);
}

TEST(ports_persist_across_shutdown_and_reinit) {
  SETUP(fx);
  pw_port_list list;
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "B:", NULL, NULL, 0), PW_OK);
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "a:", fixture_file_config(&fx, NULL),
                                NULL, 0),
            PW_OK);
  fixture_stop(&fx);
  ASSERT_EQ(fixture_start(&fx), 0);
  ASSERT_EQ(pw_monitor_list_ports(fx.mon, &list), PW_OK);
  ASSERT_EQ(list.count, 2);
  ASSERT_STREQ(list.ports[0].name, "a:"); /* sorted case-insensitively */
  ASSERT_STREQ(list.ports[1].name, "B:");
  pw_port_list_free(&list);
  fixture_teardown(&fx);
}

TEST(hostile_stored_entries_are_skipped_at_load) {
  SETUP(fx);
  pw_port_list list;
  fixture_stop(&fx);
  memstore_put(&fx.ms, "GOOD:", fixture_file_config(&fx, NULL));
  memstore_put(&fx.ms, "BAD1:", "uri=file:///tmp/../etc\n");
  memstore_put(&fx.ms, "BAD2:", "garbage without equals");
  memstore_put(&fx.ms, "bad\\name", "uri=file:///tmp\n");
  memstore_put(&fx.ms, "BAD3:", "uri=file:///tmp\npattern=../x\n");
  ASSERT_EQ(fixture_start(&fx), 0);
  ASSERT_EQ(pw_monitor_list_ports(fx.mon, &list), PW_OK);
  ASSERT_EQ(list.count, 1);
  ASSERT_STREQ(list.ports[0].name, "GOOD:");
  pw_port_list_free(&list);
  fixture_teardown(&fx);
}

TEST(port_added_by_another_process_is_found_through_the_store) {
  SETUP(fx);
  int exists = 0;
  char *text = NULL;
  memstore_put(&fx.ms, "LATE:", fixture_file_config(&fx, NULL));
  ASSERT_EQ(pw_monitor_port_exists(fx.mon, "LATE:", &exists), PW_OK);
  ASSERT_EQ(exists, 1);
  ASSERT_EQ(pw_monitor_get_port_config(fx.mon, "LATE:", &text), PW_OK);
  free(text);
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "LATE2:", NULL, NULL, 0), PW_OK);
  memstore_put(&fx.ms, "LATE3:", "uri=file:///tmp\n");
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "LATE3:", NULL, NULL, 0), PW_EEXIST);
  fixture_teardown(&fx);
}

TEST(log_level_comes_from_the_store_and_can_be_changed) {
  SETUP(fx);
  ASSERT_EQ(pw_monitor_log_level(fx.mon), PW_LOG_INFO);
  ASSERT_EQ(pw_monitor_set_log_level(fx.mon, PW_LOG_DEBUG), PW_OK);
  ASSERT_STREQ(fx.ms.log_level, "debug");
  fixture_stop(&fx);
  ASSERT_EQ(fixture_start(&fx), 0);
  ASSERT_EQ(pw_monitor_log_level(fx.mon), PW_LOG_DEBUG);
  ASSERT(pw_monitor_log_path(fx.mon) != NULL);
  fixture_teardown(&fx);
}

TEST(two_instances_do_not_share_state) {
  SETUP(fx);
  memstore other;
  memstore_init(&other);
  pw_monitor_options opt = {
      .name = "portway", .data_dir = fx.datadir, .store = &other.store};
  pw_monitor *mon2 = NULL;
  int exists = 1;
  ASSERT_EQ(pw_monitor_create(&opt, &mon2), PW_OK);
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "ONE:", NULL, NULL, 0), PW_OK);
  ASSERT_EQ(pw_monitor_port_exists(mon2, "ONE:", &exists), PW_OK);
  ASSERT_EQ(exists, 0);
  pw_monitor_destroy(mon2);
  memstore_free(&other);
  fixture_teardown(&fx);
}

TEST(create_rejects_missing_options) {
  pw_monitor *mon = NULL;
  pw_monitor_options opt = {0};
  ASSERT_EQ(pw_monitor_create(NULL, &mon), PW_EINVAL);
  ASSERT_EQ(pw_monitor_create(&opt, &mon), PW_EINVAL);
  ASSERT(mon == NULL);
}

static int released;
static void count_release(void *ctx) {
  (void)ctx;
  released++;
}

TEST(store_is_released_once_when_the_last_call_using_it_returns) {
  SETUP(fx);
  fixture_stop(&fx);
  fx.ms.store.release = count_release;
  released = 0;
  ASSERT_EQ(fixture_start(&fx), 0);
  ASSERT_EQ(pw_monitor_add_port(fx.mon, "PW1:", NULL, NULL, 0), PW_OK);
  pw_handle h;
  pw_ref *in_flight = NULL;
  ASSERT_EQ(pw_port_open(fx.mon, "PW1:", &h), PW_OK);
  /* A call on the handle holds a reference, as WritePort would. */
  ASSERT_EQ(pw_handle_get(h, PW_HANDLE_PORT, &in_flight), PW_OK);
  fixture_stop(&fx); /* Shutdown while that call runs */
  ASSERT_EQ(released, 0);
  ASSERT_EQ(pw_port_close(h), PW_EBADHANDLE);
  pw_ref_release(in_flight); /* the call returns */
  ASSERT_EQ(released, 1);
  fx.ms.store.release = NULL;
  ASSERT_EQ(fixture_start(&fx), 0);
  fixture_stop(&fx);
  ASSERT_EQ(released, 1); /* no release callback set: nothing called */
  fixture_teardown(&fx);
}

TEST_MAIN(
    TEST_ENTRY(added_port_is_listed_and_stored_canonically),
    TEST_ENTRY(port_added_by_name_only_gets_the_default_file_destination),
    TEST_ENTRY(adding_an_existing_port_fails_with_eexist_case_insensitively),
    TEST_ENTRY(invalid_names_and_configs_are_rejected_without_storing),
    TEST_ENTRY(every_port_type_has_a_destination_now),
    TEST_ENTRY(store_failure_leaves_no_port_behind),
    TEST_ENTRY(configure_replaces_config_in_memory_and_store),
    TEST_ENTRY(delete_removes_from_list_and_store_and_unknown_gives_enoent),
    TEST_ENTRY(ports_persist_across_shutdown_and_reinit),
    TEST_ENTRY(hostile_stored_entries_are_skipped_at_load),
    TEST_ENTRY(port_added_by_another_process_is_found_through_the_store),
    TEST_ENTRY(log_level_comes_from_the_store_and_can_be_changed),
    TEST_ENTRY(two_instances_do_not_share_state),
    TEST_ENTRY(create_rejects_missing_options),
    TEST_ENTRY(store_is_released_once_when_the_last_call_using_it_returns))
