/* portway — what the Win32 child-process files share (not part of the
 * platform interface). */
#ifndef PORTWAY_WIN32_PROCESS_INTERNAL_H
#define PORTWAY_WIN32_PROCESS_INTERNAL_H

#include "platform/win32/win32_internal.h"

/* argv (UTF-8, NULL-terminated) as a newly allocated CreateProcessW command
 * line: each element quoted by the rules CommandLineToArgvW (and the CRT)
 * undo, only when needed or when empty; argv[0] by its own simpler rules,
 * so it may hold no '"'. PW_EINVAL (invalid UTF-8, a quote in argv[0], a
 * line over 32766 characters), PW_ENOMEM. */
int pw_win32_cmdline(const char *const *argv, wchar_t **out);
/* "NAME=VALUE" strings (UTF-8, NULL-terminated) as a newly allocated
 * CREATE_UNICODE_ENVIRONMENT block, sorted by name case-insensitively as
 * Windows keeps it. PW_EINVAL (invalid UTF-8, an entry without a name and
 * '='), PW_ENOMEM. */
int pw_win32_env_block(const char *const *env, wchar_t **out);

#endif
