/* monrun — replacing one import of a loaded DLL (patch_import.h). */
#include "patch_import.h"

#include <string.h>

int mr_patch_import(HMODULE mod, const char *from, const char *fn, void *repl) {
  BYTE *base = (BYTE *)mod;
  const IMAGE_DOS_HEADER *dos = (const IMAGE_DOS_HEADER *)base;
  const IMAGE_NT_HEADERS *nt = (const IMAGE_NT_HEADERS *)(base + dos->e_lfanew);
  IMAGE_DATA_DIRECTORY dir =
      nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_IMPORT];
  if (!dir.VirtualAddress)
    return 0;
  int patched = 0;
  for (IMAGE_IMPORT_DESCRIPTOR *d =
           (IMAGE_IMPORT_DESCRIPTOR *)(base + dir.VirtualAddress);
       d->Name; d++) {
    if (lstrcmpiA((const char *)(base + d->Name), from) != 0)
      continue;
    /* Names from the lookup table (the IAT itself holds addresses now). */
    IMAGE_THUNK_DATA *names =
        (IMAGE_THUNK_DATA *)(base + (d->OriginalFirstThunk
                                         ? d->OriginalFirstThunk
                                         : d->FirstThunk));
    IMAGE_THUNK_DATA *iat = (IMAGE_THUNK_DATA *)(base + d->FirstThunk);
    for (; names->u1.AddressOfData; names++, iat++) {
      if (IMAGE_SNAP_BY_ORDINAL(names->u1.Ordinal))
        continue;
      const IMAGE_IMPORT_BY_NAME *ibn =
          (const IMAGE_IMPORT_BY_NAME *)(base + names->u1.AddressOfData);
      if (strcmp((const char *)ibn->Name, fn) != 0)
        continue;
      DWORD old;
      if (!VirtualProtect(&iat->u1.Function, sizeof iat->u1.Function,
                          PAGE_READWRITE, &old))
        return patched;
      iat->u1.Function = (ULONG_PTR)repl;
      VirtualProtect(&iat->u1.Function, sizeof iat->u1.Function, old, &old);
      patched++;
    }
  }
  return patched;
}
