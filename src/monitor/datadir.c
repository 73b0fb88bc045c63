/* portway — the monitors' data folder, <ProgramData>\portway: portway.dll's
 * log and spool folder, portwaylm.dll's log (both DLLs compile this file). */
#include <shlobj.h>
#include <wchar.h>

#include "monitor/front.h"

DWORD pwm_data_dir(char **out) {
  WCHAR path[MAX_PATH + 16];
  *out = NULL;
  HRESULT hr = SHGetFolderPathW(NULL, CSIDL_COMMON_APPDATA | CSIDL_FLAG_CREATE,
                                NULL, SHGFP_TYPE_CURRENT, path);
  if (FAILED(hr))
    return HRESULT_FACILITY(hr) == FACILITY_WIN32 ? (DWORD)HRESULT_CODE(hr)
                                                  : ERROR_PATH_NOT_FOUND;
  wcscat(path, L"\\portway");
  if (!CreateDirectoryW(path, NULL) && GetLastError() != ERROR_ALREADY_EXISTS)
    return GetLastError();
  int rc = pwm_wide_to_utf8(path, MAX_PATH + 16, out);
  return rc == PW_OK ? ERROR_SUCCESS : pwm_win32_error(rc);
}
