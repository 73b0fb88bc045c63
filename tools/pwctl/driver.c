/* pwctl — the printer driver add-printer falls back on.
 *
 * A printer needs a driver even when every job is RAW and no driver code
 * ever runs. Windows has "Generic / Text Only". A fresh Wine prefix has no
 * driver at all, so pwctl installs "portway Generic": Wine's PostScript
 * driver (wineps.drv, already in the prefix's driver directory) with a
 * minimal PPD that pwctl writes itself.
 *
 * Wine 8.0 facts this relies on (localspl): without APD_COPY_FROM_DIRECTORY
 * the files are copied from the driver directory into its "3" subdirectory,
 * copy failures are ignored for AddPrinterDriverEx, and the PPD named as
 * pDataFile is what wineps reads when a DEVMODE is needed.
 */
#include "pwctl.h"

#include <stdlib.h>
#include <wchar.h>

#define GENERIC_TEXT L"Generic / Text Only"
#define PORTWAY_DRIVER L"portway Generic"
#define PORTWAY_PPD L"portway-generic.ppd"

static const char ppd_text[] =
    "*PPD-Adobe: \"4.3\"\n"
    "*FormatVersion: \"4.3\"\n"
    "*FileVersion: \"1.0\"\n"
    "*LanguageVersion: English\n"
    "*LanguageEncoding: ISOLatin1\n"
    "*PCFileName: \"PORTWAY.PPD\"\n"
    "*Manufacturer: \"portway\"\n"
    "*Product: \"(portway Generic)\"\n"
    "*PSVersion: \"(3010.000) 0\"\n"
    "*ModelName: \"portway Generic\"\n"
    "*ShortNickName: \"portway Generic\"\n"
    "*NickName: \"portway Generic\"\n"
    "*LanguageLevel: \"3\"\n"
    "*ColorDevice: False\n"
    "*DefaultColorSpace: Gray\n"
    "*OpenUI *PageSize: PickOne\n"
    "*DefaultPageSize: A4\n"
    "*PageSize A4/A4: \"<</PageSize[595 842]>>setpagedevice\"\n"
    "*PageSize Letter/Letter: \"<</PageSize[612 792]>>setpagedevice\"\n"
    "*CloseUI: *PageSize\n"
    "*DefaultImageableArea: A4\n"
    "*ImageableArea A4/A4: \"0 0 595 842\"\n"
    "*ImageableArea Letter/Letter: \"0 0 612 792\"\n"
    "*DefaultPaperDimension: A4\n"
    "*PaperDimension A4/A4: \"595 842\"\n"
    "*PaperDimension Letter/Letter: \"612 792\"\n";

/* *found = 1 if a driver of that name is installed for this environment;
 * returns 0 or a Win32 error. */
static DWORD driver_installed(const wchar_t *name, int *found) {
  DWORD cb = 0, n = 0;
  *found = 0;
  if (!EnumPrinterDriversW(NULL, NULL, 1, NULL, 0, &cb, &n)) {
    DWORD err = GetLastError();
    if (err != ERROR_INSUFFICIENT_BUFFER)
      return err;
  }
  if (cb == 0)
    return ERROR_SUCCESS;
  DRIVER_INFO_1W *drivers = malloc(cb);
  if (drivers == NULL)
    return ERROR_NOT_ENOUGH_MEMORY;
  if (!EnumPrinterDriversW(NULL, NULL, 1, (BYTE *)drivers, cb, &cb, &n)) {
    DWORD err = GetLastError();
    free(drivers);
    return err;
  }
  for (DWORD i = 0; i < n; i++)
    if (pwctl_name_eq(drivers[i].pName, name))
      *found = 1;
  free(drivers);
  return ERROR_SUCCESS;
}

static DWORD write_file(const wchar_t *path, const char *data, DWORD len) {
  HANDLE h = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                         FILE_ATTRIBUTE_NORMAL, NULL);
  DWORD done = 0, err = ERROR_SUCCESS;
  if (h == INVALID_HANDLE_VALUE)
    return GetLastError();
  if (!WriteFile(h, data, len, &done, NULL))
    err = GetLastError();
  else if (done != len)
    err = ERROR_WRITE_FAULT;
  if (!CloseHandle(h) && err == ERROR_SUCCESS)
    err = GetLastError();
  return err;
}

static int install_portway_driver(const struct pwctl_opts *o) {
  wchar_t dir[MAX_PATH];
  DWORD cb = 0;
  if (!GetPrinterDriverDirectoryW(NULL, NULL, 1, (BYTE *)dir, sizeof(dir), &cb))
    return pwctl_fail(o, GetLastError(), L"GetPrinterDriverDirectory");
  wchar_t *ppd = pwctl_concat(dir, L"\\", PORTWAY_PPD, (const wchar_t *)NULL);
  if (ppd == NULL)
    return pwctl_fail(o, ERROR_NOT_ENOUGH_MEMORY, L"driver setup");
  DWORD err = write_file(ppd, ppd_text, (DWORD)(sizeof(ppd_text) - 1));
  if (err != ERROR_SUCCESS) {
    int rc = pwctl_fail(o, err, L"writing %ls", ppd);
    free(ppd);
    return rc;
  }

  DRIVER_INFO_3W di;
  memset(&di, 0, sizeof(di));
  di.cVersion = 3;
  di.pName = PORTWAY_DRIVER;
  di.pEnvironment = NULL; /* this machine's environment */
  di.pDriverPath = L"wineps.drv";
  di.pDataFile = ppd;
  di.pConfigFile = L"wineps.drv";
  di.pDefaultDataType = L"RAW";
  BOOL ok = AddPrinterDriverExW(NULL, 3, (BYTE *)&di, APD_COPY_NEW_FILES);
  err = GetLastError();
  free(ppd);
  if (!ok && err != ERROR_PRINTER_DRIVER_ALREADY_INSTALLED)
    return pwctl_fail(o, err,
                      L"AddPrinterDriverEx(\"%ls\") (outside Wine, pass "
                      L"--driver with an installed driver)",
                      PORTWAY_DRIVER);
  pwctl_note(o, L"installed driver \"%ls\"", PORTWAY_DRIVER);
  return PWCTL_EXIT_OK;
}

int pwctl_default_driver(const struct pwctl_opts *o, const wchar_t **name) {
  int found;
  DWORD err = driver_installed(GENERIC_TEXT, &found);
  if (err != ERROR_SUCCESS)
    return pwctl_fail(o, err, L"EnumPrinterDrivers");
  if (found) {
    *name = GENERIC_TEXT;
    return PWCTL_EXIT_OK;
  }
  *name = PORTWAY_DRIVER;
  err = driver_installed(PORTWAY_DRIVER, &found);
  if (err != ERROR_SUCCESS)
    return pwctl_fail(o, err, L"EnumPrinterDrivers");
  return found ? PWCTL_EXIT_OK : install_portway_driver(o);
}
