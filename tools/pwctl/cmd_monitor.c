/* pwctl — monitor-level commands: install (AddMonitor), uninstall
 * (DeleteMonitor) and ports (EnumPorts). */
#include "pwctl.h"

#include <stdlib.h>
#include <wchar.h>

int pwctl_cmd_install(struct pwctl_opts *o) {
  MONITOR_INFO_2W mi;
  mi.pName = (wchar_t *)o->monitor;
  mi.pEnvironment = NULL; /* the caller's environment, as the spooler's */
  mi.pDLLName = (wchar_t *)o->dll;

  if (wcschr(o->dll, L'\\') != NULL || wcschr(o->dll, L'/') != NULL)
    return pwctl_usage_error(o,
                             L"--dll takes a file name in the system "
                             L"directory, not a path: %ls",
                             o->dll);

  if (AddMonitorW(NULL, 2, (BYTE *)&mi)) {
    pwctl_note(o, L"monitor \"%ls\" installed from %ls", o->monitor, o->dll);
    return PWCTL_EXIT_OK;
  }
  DWORD err = GetLastError();
  if (err == ERROR_PRINT_MONITOR_ALREADY_INSTALLED) {
    /* Idempotent: the state asked for is there. */
    pwctl_note(o, L"monitor \"%ls\" is already installed (Win32 error %lu)",
               o->monitor, (unsigned long)err);
    return PWCTL_EXIT_OK;
  }
  if (err == ERROR_MOD_NOT_FOUND) {
    wchar_t sys[MAX_PATH];
    UINT n = GetSystemDirectoryW(sys, MAX_PATH);
    if (n == 0 || n >= MAX_PATH)
      wcscpy(sys, L"the system directory");
    return pwctl_fail(o, err, L"AddMonitor(\"%ls\", %ls): copy %ls into %ls",
                      o->monitor, o->dll, o->dll, sys);
  }
  return pwctl_fail(o, err, L"AddMonitor(\"%ls\", %ls)", o->monitor, o->dll);
}

/* Printers whose port list contains one of the monitor's ports. Either
 * refuses (default) or deletes them (--purge); then, with --purge, the ports
 * themselves go through the monitor's own Xcv DeletePort so it can clean up
 * whatever it keeps per port. */
static int release_ports(struct pwctl_opts *o) {
  PORT_INFO_2W *ports = NULL;
  PRINTER_INFO_2W *printers = NULL;
  DWORD nports = 0, nprinters = 0;
  int rc = PWCTL_EXIT_OK;

  DWORD err = pwctl_enum_ports(&ports, &nports);
  if (err != ERROR_SUCCESS) {
    /* A monitor that cannot even enumerate must still be removable. */
    pwctl_note(o, L"EnumPorts failed (Win32 error %lu); not checking printers",
               (unsigned long)err);
    return PWCTL_EXIT_OK;
  }
  err = pwctl_enum_printers(&printers, &nprinters);
  if (err != ERROR_SUCCESS) {
    free(ports);
    return pwctl_fail(o, err, L"EnumPrinters");
  }

  for (DWORD p = 0; p < nports && rc == PWCTL_EXIT_OK; p++) {
    if (!pwctl_name_eq(ports[p].pMonitorName, o->monitor))
      continue;
    for (DWORD i = 0; i < nprinters && rc == PWCTL_EXIT_OK; i++) {
      if (printers[i].pPrinterName == NULL ||
          !pwctl_port_list_has(printers[i].pPortName, ports[p].pPortName))
        continue;
      if (!o->purge) {
        rc = pwctl_fail(o, ERROR_PRINT_MONITOR_IN_USE,
                        L"printer \"%ls\" uses port \"%ls\"; delete it "
                        L"first or use --purge",
                        printers[i].pPrinterName, ports[p].pPortName);
        break;
      }
      PRINTER_DEFAULTSW pd = {NULL, NULL, PRINTER_ALL_ACCESS};
      HANDLE h;
      if (!OpenPrinterW(printers[i].pPrinterName, &h, &pd)) {
        rc = pwctl_fail(o, GetLastError(), L"OpenPrinter(\"%ls\")",
                        printers[i].pPrinterName);
        break;
      }
      if (!DeletePrinter(h))
        rc = pwctl_fail(o, GetLastError(), L"DeletePrinter(\"%ls\")",
                        printers[i].pPrinterName);
      else
        pwctl_note(o, L"deleted printer \"%ls\"", printers[i].pPrinterName);
      ClosePrinter(h);
      /* A pooled printer may use several of our ports: delete it once. */
      printers[i].pPrinterName = NULL;
    }
  }

  if (rc == PWCTL_EXIT_OK && o->purge) {
    HANDLE xcv;
    int opened = 0;
    for (DWORD p = 0; p < nports && rc == PWCTL_EXIT_OK; p++) {
      if (!pwctl_name_eq(ports[p].pMonitorName, o->monitor))
        continue;
      if (!opened) {
        rc = pwctl_xcv_open(o, &xcv);
        if (rc != PWCTL_EXIT_OK)
          break;
        opened = 1;
      }
      rc = pwctl_xcv_delete_port(o, xcv, ports[p].pPortName);
    }
    if (opened)
      ClosePrinter(xcv);
  }
  free(printers);
  free(ports);
  return rc;
}

int pwctl_cmd_uninstall(struct pwctl_opts *o) {
  int rc = release_ports(o);
  if (rc != PWCTL_EXIT_OK)
    return rc;
  if (DeleteMonitorW(NULL, NULL, (wchar_t *)o->monitor)) {
    pwctl_note(o, L"monitor \"%ls\" removed", o->monitor);
    return PWCTL_EXIT_OK;
  }
  DWORD err = GetLastError();
  if (err == ERROR_UNKNOWN_PRINT_MONITOR) {
    pwctl_note(o, L"monitor \"%ls\" is not installed (Win32 error %lu)",
               o->monitor, (unsigned long)err);
    return PWCTL_EXIT_OK;
  }
  return pwctl_fail(o, err, L"DeleteMonitor(\"%ls\")", o->monitor);
}

int pwctl_cmd_ports(struct pwctl_opts *o) {
  PORT_INFO_2W *ports;
  DWORD n;
  DWORD err = pwctl_enum_ports(&ports, &n);
  if (err != ERROR_SUCCESS)
    return pwctl_fail(o, err, L"EnumPorts");
  for (DWORD i = 0; i < n; i++) {
    const wchar_t *mon = ports[i].pMonitorName ? ports[i].pMonitorName : L"";
    const wchar_t *desc = ports[i].pDescription ? ports[i].pDescription : L"";
    if (ports[i].pPortName == NULL)
      continue;
    if (o->filter != NULL && !pwctl_name_eq(mon, o->filter))
      continue;
    pwctl_out(L"%ls\t%ls\t%ls\n", ports[i].pPortName, mon, desc);
  }
  pwctl_note(o, L"%lu port(s) enumerated", (unsigned long)n);
  free(ports);
  return PWCTL_EXIT_OK;
}
