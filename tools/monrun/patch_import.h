/* monrun — replacing one import of a loaded DLL (its import address table).
 * monrun uses it to see what a language monitor tells the spooler; the UI
 * test driver (tests/monitor/progs/uidrive.c) to make portwayui.dll's
 * OpenPrinterW refuse the administer right. Only windows.h: both programs
 * are independent of portway's core. */
#ifndef MONRUN_PATCH_IMPORT_H
#define MONRUN_PATCH_IMPORT_H

#include <windows.h>

/* Point every import of `fn` from the DLL `from` (case-insensitive) in
 * mod's import address table at `repl`. Returns how many were patched (0:
 * mod does not import it by name). */
int mr_patch_import(HMODULE mod, const char *from, const char *fn, void *repl);

#endif
