/* Error code names and texts (portway/error.h). */
#include "portway/error.h"
#include "test.h"

static const int all_codes[] = {
    PW_OK,          PW_ENOMEM,       PW_EINVAL,     PW_ENOENT,   PW_EEXIST,
    PW_EBUSY,       PW_EBADHANDLE,   PW_ESTATE,     PW_EIO,      PW_ENOSPC,
    PW_EACCES,      PW_ENAMETOOLONG, PW_ENOTSUP,    PW_ELEVEL,   PW_EBADDATA,
    PW_ENOBUFS,     PW_EBADNAME,     PW_EBADCONFIG, PW_EABORTED, PW_ETIMEDOUT,
    PW_ENOTFOUNDCMD};
#define NCODES (sizeof all_codes / sizeof all_codes[0])

TEST(every_code_has_a_distinct_symbolic_name) {
  for (size_t i = 0; i < NCODES; i++) {
    const char *name = pw_errname(all_codes[i]);
    ASSERT(name != NULL);
    ASSERT(strncmp(name, "PW_", 3) == 0);
    ASSERT(strcmp(name, "PW_E?") != 0);
    for (size_t j = 0; j < i; j++)
      ASSERT(strcmp(name, pw_errname(all_codes[j])) != 0);
  }
}

TEST(names_match_the_enum_spelling) {
  ASSERT_STREQ(pw_errname(PW_OK), "PW_OK");
  ASSERT_STREQ(pw_errname(PW_ENOENT), "PW_ENOENT");
  ASSERT_STREQ(pw_errname(PW_EBADCONFIG), "PW_EBADCONFIG");
  ASSERT_STREQ(pw_errname(PW_ENOTFOUNDCMD), "PW_ENOTFOUNDCMD");
}

TEST(every_code_has_a_distinct_nonempty_text) {
  for (size_t i = 0; i < NCODES; i++) {
    const char *text = pw_strerror(all_codes[i]);
    ASSERT(text != NULL && text[0] != '\0');
    ASSERT(strcmp(text, pw_strerror(12345)) != 0);
    for (size_t j = 0; j < i; j++)
      ASSERT(strcmp(text, pw_strerror(all_codes[j])) != 0);
  }
}

TEST(unknown_codes_still_give_text_never_null) {
  ASSERT(pw_strerror(1) != NULL);
  ASSERT(pw_strerror(-9999) != NULL);
  ASSERT(pw_errname(-9999) != NULL);
  ASSERT_STREQ(pw_errname(-21), "PW_E?");
}

TEST_MAIN(TEST_ENTRY(every_code_has_a_distinct_symbolic_name),
          TEST_ENTRY(names_match_the_enum_spelling),
          TEST_ENTRY(every_code_has_a_distinct_nonempty_text),
          TEST_ENTRY(unknown_codes_still_give_text_never_null))
