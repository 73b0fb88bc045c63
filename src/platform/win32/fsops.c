/* portway — name operations on Win32: no-replace rename, remove. */
#include "platform/win32/win32_internal.h"

#include <stdlib.h>

#include "platform/platform.h"
#include "portway/error.h"

int pw_file_rename_noreplace(const char *from, const char *to) {
  wchar_t *wfrom, *wto;
  int err = pw_win32_path(from, &wfrom);
  if (err != PW_OK)
    return err;
  err = pw_win32_path(to, &wto);
  if (err != PW_OK) {
    free(wfrom);
    return err;
  }
  /* Without MOVEFILE_REPLACE_EXISTING the file system refuses an existing
   * target atomically (ERROR_ALREADY_EXISTS -> PW_EEXIST); without
   * MOVEFILE_COPY_ALLOWED it is a rename, never a copy that could be left
   * half done. */
  if (!MoveFileExW(wfrom, wto, 0))
    err = pw_win32_last_err();
  free(wfrom);
  free(wto);
  return err;
}

int pw_file_remove(const char *path) {
  wchar_t *w;
  int err = pw_win32_path(path, &w);
  if (err != PW_OK)
    return err;
  if (!DeleteFileW(w))
    err = pw_win32_last_err();
  free(w);
  return err;
}
