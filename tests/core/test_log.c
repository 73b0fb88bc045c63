/* portway — the monitor log: line format, levels, escaping, truncation,
 * concurrent writers (threads and processes), rotation. Values placed in
 * log fields: test_log_field.c. */
#define _DEFAULT_SOURCE /* fork, waitpid under -std=c11 */

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/log.h"
#include "logfix.h"
#include "memstore.h" /* test_tmpdir, test_rmtree, test_read_file */
#include "platform/platform.h"
#include "portway/error.h"
#include "test.h"

#define ROTATE_BYTES (8L * 1024 * 1024)

TEST(line_has_timestamp_pid_padded_level_and_message) {
  scratch s;
  ASSERT_EQ(scratch_open(&s), 0);
  pw_log *log;
  ASSERT_EQ(pw_log_open(s.path, PW_LOG_INFO, &log), PW_OK);
  pw_log_write(log, PW_LOG_INFO, "job %d done", 42);
  pw_log_close(log);
  char *text = slurp(s.path);
  scratch_close(&s);
  ASSERT(text);
  int off = message_offset(text, "INFO");
  int digits_ok = text[4] == '-' && text[7] == '-' && text[10] == ' ' &&
                  text[13] == ':' && text[16] == ':' && text[19] == '.' &&
                  text[23] == ' ';
  int msg_ok = off > 0 && strcmp(text + off, "job 42 done\n") == 0;
  int space_ok = off > 0 && strncmp(text + off - 6, "INFO  ", 6) == 0;
  free(text);
  ASSERT(digits_ok);
  ASSERT(msg_ok);
  ASSERT(space_ok);
}

TEST(lines_above_the_level_are_dropped_until_the_level_is_raised) {
  scratch s;
  ASSERT_EQ(scratch_open(&s), 0);
  pw_log *log;
  ASSERT_EQ(pw_log_open(s.path, PW_LOG_WARN, &log), PW_OK);
  ASSERT_EQ(pw_log_get_level(log), PW_LOG_WARN);
  pw_log_write(log, PW_LOG_ERROR, "e1");
  pw_log_write(log, PW_LOG_WARN, "w1");
  pw_log_write(log, PW_LOG_INFO, "i1");
  pw_log_write(log, PW_LOG_DEBUG, "d1");
  pw_log_write(log, PW_LOG_OFF, "never");
  pw_log_set_level(log, PW_LOG_DEBUG);
  pw_log_write(log, PW_LOG_DEBUG, "d2");
  pw_log_set_level(log, PW_LOG_OFF);
  pw_log_write(log, PW_LOG_ERROR, "e2");
  pw_log_close(log);
  char *text = slurp(s.path);
  scratch_close(&s);
  ASSERT(text);
  int lines = count_lines(text);
  int has = strstr(text, "ERROR e1\n") && strstr(text, "WARN  w1\n") &&
            strstr(text, "DEBUG d2\n");
  int hasnt = !strstr(text, "i1") && !strstr(text, "d1") &&
              !strstr(text, "never") && !strstr(text, "e2");
  free(text);
  ASSERT_EQ(lines, 3);
  ASSERT(has);
  ASSERT(hasnt);
}

TEST(control_characters_in_messages_are_escaped_on_one_line) {
  scratch s;
  ASSERT_EQ(scratch_open(&s), 0);
  pw_log *log;
  ASSERT_EQ(pw_log_open(s.path, PW_LOG_INFO, &log), PW_OK);
  /* A hostile document name trying to forge a second log line. */
  pw_log_write(log, PW_LOG_INFO, "doc '%s'",
               "x\n2026-01-01 00:00:00.000 pid=1 ERROR forged\r\t\x01\x1b\x7f"
               "\xc3\xa9");
  pw_log_close(log);
  char *text = slurp(s.path);
  scratch_close(&s);
  ASSERT(text);
  int lines = count_lines(text);
  int off = message_offset(text, "INFO");
  int ok = off > 0 &&
           strcmp(text + off, "doc 'x\\n2026-01-01 00:00:00.000 pid=1 ERROR "
                              "forged\\r\\t\\x01\\x1b\\x7f\xc3\xa9'\n") == 0;
  free(text);
  ASSERT_EQ(lines, 1);
  ASSERT(ok);
}

TEST(long_messages_are_cut_at_2048_bytes_and_marked) {
  scratch s;
  ASSERT_EQ(scratch_open(&s), 0);
  pw_log *log;
  ASSERT_EQ(pw_log_open(s.path, PW_LOG_INFO, &log), PW_OK);
  char *big = malloc(5001);
  ASSERT(big);
  memset(big, 'x', 5000);
  big[5000] = '\0';
  pw_log_write(log, PW_LOG_INFO, "%s", big);
  free(big);
  pw_log_close(log);
  char *text = slurp(s.path);
  scratch_close(&s);
  ASSERT(text);
  size_t len = strlen(text);
  int marked = len >= 4 && strcmp(text + len - 4, "...\n") == 0;
  int x_before = len >= 5 && text[len - 5] == 'x';
  free(text);
  ASSERT(len <= 2048);
  ASSERT(len >= 2040); /* cut near the limit, not much earlier */
  ASSERT(marked);
  ASSERT(x_before);
}

TEST(cut_never_splits_a_utf8_sequence_or_an_escape) {
  scratch s;
  ASSERT_EQ(scratch_open(&s), 0);
  pw_log *log;
  ASSERT_EQ(pw_log_open(s.path, PW_LOG_INFO, &log), PW_OK);
  char *big = malloc(6001);
  ASSERT(big);
  for (int i = 0; i < 3000; i++)
    memcpy(big + 2 * i, "\xc3\xa9", 2); /* é */
  big[6000] = '\0';
  pw_log_write(log, PW_LOG_INFO, "%s", big);
  for (int i = 0; i < 3000; i++)
    memcpy(big + 2 * i, "\x01\n", 2); /* escapes of 4 and 2 bytes */
  pw_log_write(log, PW_LOG_INFO, "%s", big);
  free(big);
  pw_log_close(log);
  char *text = slurp(s.path);
  scratch_close(&s);
  ASSERT(text);
  char *second = strchr(text, '\n') + 1;
  int off1 = message_offset(text, "INFO");
  int off2 = message_offset(second, "INFO");
  ASSERT(off1 > 0 && off2 > 0);
  size_t n1 = (size_t)(second - text) - (size_t)off1 - 4; /* before "...\n" */
  int utf8_whole = n1 % 2 == 0 && strncmp(second - 4, "...\n", 4) == 0;
  for (size_t i = 0; utf8_whole && i < n1; i += 2)
    utf8_whole = memcmp(text + off1 + i, "\xc3\xa9", 2) == 0;
  size_t n2 = strlen(second) - (size_t)off2 - 4;
  int escapes_whole = strcmp(second + strlen(second) - 4, "...\n") == 0;
  for (size_t i = 0; escapes_whole && i < n2;) {
    if (strncmp(second + off2 + i, "\\x01", 4) == 0)
      i += 4;
    else if (strncmp(second + off2 + i, "\\n", 2) == 0)
      i += 2;
    else
      escapes_whole = 0;
  }
  free(text);
  ASSERT(utf8_whole);
  ASSERT(escapes_whole);
}

enum { WRITERS = 4, LINES_PER_WRITER = 2000 };

typedef struct writer {
  pw_log *log;
  int id;
} writer;

static void write_lines(pw_log *log, int id) {
  char pad[301];
  memset(pad, 'a' + id % 26, 300);
  pad[300] = '\0';
  for (int i = 0; i < LINES_PER_WRITER; i++)
    pw_log_write(log, PW_LOG_INFO, "w%d line %d %s", id, i, pad);
}

/* Writers wait for this so they really overlap. */
static atomic_int go;

static void writer_main(void *arg) {
  writer *w = arg;
  while (!atomic_load(&go))
    ;
  write_lines(w->log, w->id);
}

/* Every line must be exactly one writer's whole line; each writer's lines
 * all present once. */
static int lines_are_whole(char *text, int writers) {
  static int seen[16][LINES_PER_WRITER];
  memset(seen, 0, sizeof seen);
  char *line = text;
  int total = 0;
  while (*line) {
    char *nl = strchr(line, '\n');
    if (!nl)
      return 0;
    *nl = '\0';
    int id, i, n = -1;
    unsigned long pid;
    size_t h = header_len(line, "INFO", &pid);
    const char *msg = line + h;
    if (h == 0 || sscanf(msg, "w%d line %d %n", &id, &i, &n) != 2 || n < 0 ||
        id < 0 || id >= writers || i < 0 || i >= LINES_PER_WRITER)
      return 0;
    const char *pad = msg + n;
    const char fill[2] = {(char)('a' + id % 26), '\0'};
    if (strlen(pad) != 300 || strspn(pad, fill) != 300)
      return 0;
    seen[id][i]++;
    total++;
    line = nl + 1;
  }
  for (int id = 0; id < writers; id++)
    for (int i = 0; i < LINES_PER_WRITER; i++)
      if (seen[id][i] != 1)
        return 0;
  return total == writers * LINES_PER_WRITER;
}

TEST(concurrent_threads_on_two_handles_produce_whole_lines) {
  scratch s;
  ASSERT_EQ(scratch_open(&s), 0);
  pw_log *a, *b; /* two handles behave like two processes' logs */
  ASSERT_EQ(pw_log_open(s.path, PW_LOG_INFO, &a), PW_OK);
  ASSERT_EQ(pw_log_open(s.path, PW_LOG_INFO, &b), PW_OK);
  writer w[WRITERS];
  pw_thread *t[WRITERS];
  atomic_store(&go, 0);
  for (int i = 0; i < WRITERS; i++) {
    w[i] = (writer){i % 2 ? b : a, i};
    ASSERT_EQ(pw_thread_start(&t[i], writer_main, &w[i]), PW_OK);
  }
  atomic_store(&go, 1);
  for (int i = 0; i < WRITERS; i++)
    ASSERT_EQ(pw_thread_join(t[i]), PW_OK);
  pw_log_close(a);
  pw_log_close(b);
  char *text = slurp(s.path);
  scratch_close(&s);
  ASSERT(text);
  int ok = lines_are_whole(text, WRITERS);
  free(text);
  ASSERT(ok);
}

TEST(concurrent_processes_produce_whole_lines) {
  scratch s;
  ASSERT_EQ(scratch_open(&s), 0);
  pid_t child = fork();
  ASSERT(child >= 0);
  if (child == 0) {
    pw_log *log;
    int err = pw_log_open(s.path, PW_LOG_INFO, &log);
    if (err == PW_OK)
      write_lines(log, 1);
    pw_log_close(log);
    free(s.dir); /* the child's copy of the parent's heap */
    _exit(err == PW_OK ? 0 : 2);
  }
  pw_log *log;
  int open_err = pw_log_open(s.path, PW_LOG_INFO, &log);
  write_lines(log, 0);
  pw_log_close(log);
  int status = -1;
  waitpid(child, &status, 0);
  char *text = slurp(s.path);
  scratch_close(&s);
  /* Lines of the child carry its pid: check content, not the pid field. */
  int ok = text && lines_are_whole(text, 2);
  free(text);
  ASSERT_EQ(open_err, PW_OK);
  ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  ASSERT(ok);
}

TEST(open_failure_gives_a_log_that_discards_lines) {
  scratch s;
  ASSERT_EQ(scratch_open(&s), 0);
  char path[1100];
  snprintf(path, sizeof path, "%s/missing/portway.log", s.dir);
  pw_log *log = NULL;
  int err = pw_log_open(path, PW_LOG_INFO, &log);
  int have_log = log != NULL;
  pw_log_write(log, PW_LOG_ERROR, "goes nowhere");
  int path_kept = log && strcmp(pw_log_path(log), path) == 0;
  pw_log_close(log);
  struct stat st;
  int created = stat(path, &st) == 0;
  scratch_close(&s);
  ASSERT_EQ(err, PW_ENOENT);
  ASSERT(have_log);
  ASSERT(path_kept);
  ASSERT(!created);
}

TEST(null_log_is_accepted_everywhere) {
  pw_log_write(NULL, PW_LOG_ERROR, "x");
  pw_log_set_level(NULL, PW_LOG_DEBUG);
  ASSERT_EQ(pw_log_get_level(NULL), PW_LOG_OFF);
  ASSERT_STREQ(pw_log_path(NULL), "");
  pw_log_close(NULL);
  ASSERT_EQ(pw_log_open("x", PW_LOG_INFO, NULL), PW_EINVAL);
}

TEST(level_names_parse_case_insensitively_and_round_trip) {
  static const struct {
    const char *text;
    pw_log_level level;
  } ok[] = {{"off", PW_LOG_OFF},
            {"ERROR", PW_LOG_ERROR},
            {"Warn", PW_LOG_WARN},
            {"info", PW_LOG_INFO},
            {"dEbUg", PW_LOG_DEBUG}};
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    pw_log_level level = PW_LOG_INFO;
    ASSERT_EQ(pw_log_level_parse(ok[i].text, &level), PW_OK);
    ASSERT_EQ(level, ok[i].level);
    pw_log_level back = PW_LOG_OFF;
    ASSERT_EQ(pw_log_level_parse(pw_log_level_name(level), &back), PW_OK);
    ASSERT_EQ(back, level);
  }
  static const char *const bad[] = {"", "warning", "infos", "in", "5", " info"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    pw_log_level level = PW_LOG_WARN;
    ASSERT_NE(pw_log_level_parse(bad[i], &level), PW_OK);
    ASSERT_EQ(level, PW_LOG_WARN);
  }
  pw_log_level level;
  ASSERT_EQ(pw_log_level_parse(NULL, &level), PW_EINVAL);
  ASSERT_STREQ(pw_log_level_name((pw_log_level)99), "unknown");
}

/* A file of `size` bytes of 'o' at path. */
static int make_file(const char *path, long size) {
  FILE *f = fopen(path, "wb");
  if (!f)
    return -1;
  for (long i = 0; i < size; i++)
    fputc('o', f);
  return fclose(f);
}

static long file_size(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

TEST(log_over_8_mib_at_open_moves_to_dot_1_replacing_older) {
  scratch s;
  ASSERT_EQ(scratch_open(&s), 0);
  char old[1100];
  snprintf(old, sizeof old, "%s.1", s.path);
  ASSERT_EQ(make_file(s.path, ROTATE_BYTES + 1), 0);
  ASSERT_EQ(make_file(old, 10), 0);
  pw_log *log;
  ASSERT_EQ(pw_log_open(s.path, PW_LOG_INFO, &log), PW_OK);
  pw_log_write(log, PW_LOG_INFO, "fresh");
  pw_log_close(log);
  long rotated = file_size(old);
  char *text = slurp(s.path);
  scratch_close(&s);
  ASSERT_EQ(rotated, ROTATE_BYTES + 1);
  ASSERT(text);
  int fresh =
      count_lines(text) == 1 && strstr(text, "INFO  fresh\n") && text[0] != 'o';
  free(text);
  ASSERT(fresh);
}

TEST(log_of_exactly_8_mib_is_kept) {
  scratch s;
  ASSERT_EQ(scratch_open(&s), 0);
  char old[1100];
  snprintf(old, sizeof old, "%s.1", s.path);
  ASSERT_EQ(make_file(s.path, ROTATE_BYTES), 0);
  pw_log *log;
  ASSERT_EQ(pw_log_open(s.path, PW_LOG_INFO, &log), PW_OK);
  pw_log_write(log, PW_LOG_INFO, "appended");
  pw_log_close(log);
  long size = file_size(s.path);
  long rotated = file_size(old);
  scratch_close(&s);
  ASSERT(size > ROTATE_BYTES);
  ASSERT_EQ(rotated, -1);
}

TEST(long_running_writer_rotates_without_reopening) {
  scratch s;
  ASSERT_EQ(scratch_open(&s), 0);
  char old[1100];
  snprintf(old, sizeof old, "%s.1", s.path);
  pw_log *log;
  ASSERT_EQ(pw_log_open(s.path, PW_LOG_INFO, &log), PW_OK);
  char pad[1001];
  memset(pad, 'p', 1000);
  pad[1000] = '\0';
  enum { N = 9000 }; /* ~9.3 MB of lines */
  for (int i = 0; i < N; i++)
    pw_log_write(log, PW_LOG_INFO, "%s", pad);
  pw_log_close(log);
  char *rotated = slurp(old);
  char *current = slurp(s.path);
  long rotated_size = file_size(old);
  scratch_close(&s);
  ASSERT(rotated && current);
  int total = count_lines(rotated) + count_lines(current);
  free(rotated);
  free(current);
  ASSERT_EQ(total, N);
  ASSERT(rotated_size > ROTATE_BYTES);
  ASSERT(rotated_size <= ROTATE_BYTES + 64 * 1024 + 2048);
}
TEST_MAIN(
    TEST_ENTRY(line_has_timestamp_pid_padded_level_and_message),
    TEST_ENTRY(lines_above_the_level_are_dropped_until_the_level_is_raised),
    TEST_ENTRY(control_characters_in_messages_are_escaped_on_one_line),
    TEST_ENTRY(long_messages_are_cut_at_2048_bytes_and_marked),
    TEST_ENTRY(cut_never_splits_a_utf8_sequence_or_an_escape),
    TEST_ENTRY(concurrent_threads_on_two_handles_produce_whole_lines),
    TEST_ENTRY(concurrent_processes_produce_whole_lines),
    TEST_ENTRY(open_failure_gives_a_log_that_discards_lines),
    TEST_ENTRY(null_log_is_accepted_everywhere),
    TEST_ENTRY(level_names_parse_case_insensitively_and_round_trip),
    TEST_ENTRY(log_over_8_mib_at_open_moves_to_dot_1_replacing_older),
    TEST_ENTRY(log_of_exactly_8_mib_is_kept),
    TEST_ENTRY(long_running_writer_rotates_without_reopening))
