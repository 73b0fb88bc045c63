/* A program port's arguments and environment (src/core/dest/pipe_args.c):
 * the template is split by CommandLineToArgvW's rules before anything is
 * substituted, so no value can add, split or merge arguments. */
#include <stdlib.h>
#include <string.h>

#include "core/dest/pipe_args.h"
#include "portway/error.h"
#include "test.h"

/* Split tmpl and compare with want[] (NULL-terminated). */
static int splits_to(const char *tmpl, const char *const *want) {
  pw_strv s;
  if (pw_pipe_split_args(tmpl, &s, NULL, 0) != PW_OK)
    return 0;
  size_t n = 0;
  while (want[n])
    n++;
  int same = s.n == n && s.v[n] == NULL;
  for (size_t i = 0; same && i < n; i++)
    same = strcmp(s.v[i], want[i]) == 0;
  pw_strv_free(&s);
  return same;
}

TEST(tokens_split_as_command_line_to_argv_w_does) {
  /* the examples of Microsoft's "Parsing C command-line arguments" */
  ASSERT(splits_to("\"abc\" d e", (const char *[]){"abc", "d", "e", NULL}));
  ASSERT(splits_to("a\\\\\\b d\"e f\"g h",
                   (const char *[]){"a\\\\\\b", "de fg", "h", NULL}));
  ASSERT(
      splits_to("a\\\\\\\"b c d", (const char *[]){"a\\\"b", "c", "d", NULL}));
  ASSERT(splits_to("a\\\\\\\\\"b c\" d e",
                   (const char *[]){"a\\\\b c", "d", "e", NULL}));
  /* "" inside quotes is a literal quote; tabs separate; runs collapse */
  ASSERT(splits_to("\"say \"\"hi\"\"\"\t -o   x",
                   (const char *[]){"say \"hi\"", "-o", "x", NULL}));
  /* an empty quoted argument is an argument */
  ASSERT(splits_to("a \"\" b", (const char *[]){"a", "", "b", NULL}));
  ASSERT(splits_to("", (const char *[]){NULL}));
  ASSERT(splits_to("   ", (const char *[]){NULL}));
}

TEST(a_bad_template_is_refused_with_its_reason) {
  pw_strv s;
  char why[128];
  ASSERT_EQ(pw_pipe_split_args("a \"b c", &s, why, sizeof why), PW_EBADCONFIG);
  ASSERT(strstr(why, "unclosed quote") != NULL);
  ASSERT_EQ(pw_pipe_split_args("a\nb", &s, why, sizeof why), PW_EBADCONFIG);
  char many[2 * (PW_PIPE_MAX_ARGS + 1) + 1];
  for (size_t i = 0; i < PW_PIPE_MAX_ARGS + 1; i++)
    memcpy(many + 2 * i, "x ", 2);
  many[sizeof many - 1] = '\0';
  ASSERT_EQ(pw_pipe_split_args(many, &s, why, sizeof why), PW_EBADCONFIG);
  ASSERT(strstr(why, "more than") != NULL);
  ASSERT_EQ(pw_pipe_split_args("a {doc} {bogus}", &s, NULL, 0), PW_OK);
  ASSERT_EQ(pw_pipe_check_tokens(&s, 1, why, sizeof why), PW_EBADCONFIG);
  ASSERT(strstr(why, "{bogus}") != NULL);
  pw_strv_free(&s);
  ASSERT_EQ(pw_pipe_split_args("-o {output}", &s, NULL, 0), PW_OK);
  ASSERT_EQ(pw_pipe_check_tokens(&s, 0, why, sizeof why), PW_EBADCONFIG);
  ASSERT_EQ(pw_pipe_check_tokens(&s, 1, why, sizeof why), PW_OK);
  pw_strv_free(&s);
}

static const char hostile[] =
    "a\" b & c|d<e>f^g%PATH% ..\\..\\x \\ trailing\\ \xc3\xa9\xe6\x97\xa5";

TEST(a_hostile_document_name_stays_inside_its_one_argument) {
  pw_pattern_vars v = {
      7, hostile, "bob", "ws1", "Lab", "PW1:", 2026, 11, 30, 1, 2, 3};
  pw_strv s;
  ASSERT_EQ(pw_pipe_split_args("-sDEVICE=pdfwrite \"-o{output}\" "
                               "--title={doc} {job}-{date}-{time} {{x}}",
                               &s, NULL, 0),
            PW_OK);
  ASSERT_EQ(s.n, 5);
  char *a[5];
  for (size_t i = 0; i < 5; i++)
    ASSERT_EQ(pw_pipe_expand_arg(s.v[i], &v, "C:/out/x 1.pdf", &a[i]), PW_OK);
  ASSERT_STREQ(a[0], "-sDEVICE=pdfwrite");
  ASSERT_STREQ(a[1], "-oC:/out/x 1.pdf");
  char want[256];
  strcpy(want, "--title=");
  strcat(want, hostile);
  ASSERT_STREQ(a[2], want); /* exactly the name: one argument, unchanged */
  ASSERT_STREQ(a[3], "7-20261130-010203");
  ASSERT_STREQ(a[4], "{x}");
  for (size_t i = 0; i < 5; i++)
    free(a[i]);
  pw_strv_free(&s);
}

TEST(control_characters_in_values_become_underscores_and_values_are_bounded) {
  char big[PW_PIPE_MAX_VALUE + 50];
  memset(big, 'x', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  pw_pattern_vars v = {
      1, "a\nb\tc\x7f", big, NULL, NULL, NULL, 2026, 1, 2, 3, 4, 5};
  char *out = NULL;
  ASSERT_EQ(pw_pipe_expand_arg("{doc}", &v, NULL, &out), PW_OK);
  ASSERT_STREQ(out, "a_b_c_");
  free(out);
  ASSERT_EQ(pw_pipe_expand_arg("{user}", &v, NULL, &out), PW_OK);
  ASSERT_EQ(strlen(out), PW_PIPE_MAX_VALUE);
  free(out);
  ASSERT_EQ(pw_pipe_expand_arg("{machine}", &v, NULL, &out), PW_OK);
  ASSERT_STREQ(out, "unknown");
  free(out);
  ASSERT_EQ(pw_pipe_expand_arg("{output}", &v, NULL, &out), PW_EBADCONFIG);
  ASSERT(out == NULL);
}

static const char *env_get(const pw_strv *e, const char *name) {
  size_t n = strlen(name);
  for (size_t i = 0; i < e->n; i++)
    if (strncmp(e->v[i], name, n) == 0 && e->v[i][n] == '=')
      return e->v[i] + n + 1;
  return NULL;
}

TEST(the_environment_has_redmons_variables_and_the_ports_own) {
  const char *base[] = {"PATH=/bin", "REDMON_USER=stale", "Lang=C", NULL};
  pw_pattern_vars v = {
      42, "report.ps", "alice", "ws1", "Office", "PWP:", 2026, 1, 2, 3, 4, 5};
  pw_strv extra;
  ASSERT_EQ(pw_pipe_split_args("GS_LIB=/usr/share LANG=de", &extra, NULL, 0),
            PW_OK);
  pw_strv e;
  ASSERT_EQ(pw_pipe_build_env(base, &v, "/out/a.pdf", 3, &extra, &e), PW_OK);
  ASSERT_STREQ(env_get(&e, "PATH"), "/bin");
  ASSERT_STREQ(env_get(&e, "REDMON_PORT"), "PWP:");
  ASSERT_STREQ(env_get(&e, "REDMON_JOB"), "42");
  ASSERT_STREQ(env_get(&e, "REDMON_PRINTER"), "Office");
  ASSERT_STREQ(env_get(&e, "REDMON_MACHINE"), "ws1");
  ASSERT_STREQ(env_get(&e, "REDMON_USER"), "alice"); /* ours replaces it */
  ASSERT_STREQ(env_get(&e, "REDMON_DOCNAME"), "report.ps");
  ASSERT_STREQ(env_get(&e, "REDMON_FILENAME"), "/out/a.pdf");
  ASSERT_STREQ(env_get(&e, "REDMON_SESSIONID"), "3");
  ASSERT_STREQ(env_get(&e, "PORTWAY_DOCNAME"), "report.ps");
  ASSERT_STREQ(env_get(&e, "GS_LIB"), "/usr/share");
  /* names compare as Windows compares them: Lang=C is replaced */
  ASSERT_STREQ(env_get(&e, "LANG"), "de");
  ASSERT(env_get(&e, "Lang") == NULL);
  ASSERT(e.v[e.n] == NULL);
  pw_strv_free(&e);
  ASSERT_EQ(pw_pipe_build_env(NULL, &v, NULL, 0, NULL, &e), PW_OK);
  ASSERT(env_get(&e, "REDMON_FILENAME") == NULL);
  pw_strv_free(&e);
  pw_strv_free(&extra);
}

TEST_MAIN(
    TEST_ENTRY(tokens_split_as_command_line_to_argv_w_does),
    TEST_ENTRY(a_bad_template_is_refused_with_its_reason),
    TEST_ENTRY(a_hostile_document_name_stays_inside_its_one_argument),
    TEST_ENTRY(
        control_characters_in_values_become_underscores_and_values_are_bounded),
    TEST_ENTRY(the_environment_has_redmons_variables_and_the_ports_own))
