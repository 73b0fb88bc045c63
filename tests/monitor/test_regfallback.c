/* portway.dll — the registry fallback: when the spooler's MONITORREG
 * callbacks answer ERROR_CALL_NOT_IMPLEMENTED (Wine 8.0) or are missing,
 * ports live under HKLM\SYSTEM\CurrentControlSet\Control\Print\Monitors\
 * <name>\Ports\<port>, where Wine's spooler looks for them to route jobs
 * (monitor-api.md §1.3, §9; wine-spooler-notes.md).
 *
 * These tests write to the Wine prefix's HKLM. Each removes what it
 * created, including the monitor key if it did not exist before. */
#include "test.h"

#include <wchar.h>

#include "monfix.h"

#define MONITORS L"SYSTEM\\CurrentControlSet\\Control\\Print\\Monitors"
#define ALT_MONITOR L"PortwayAltTest"

static int key_exists(const WCHAR *path) {
  HKEY k;
  if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, path, 0, KEY_READ, &k) != ERROR_SUCCESS)
    return 0;
  RegCloseKey(k);
  return 1;
}

static void delete_tree(const WCHAR *path) {
  RegDeleteTreeW(HKEY_LOCAL_MACHINE, path);
  RegDeleteKeyW(HKEY_LOCAL_MACHINE, path);
}

static int read_sz(const WCHAR *path, const WCHAR *value, WCHAR *out,
                   DWORD cap) {
  DWORD type = 0, cb = (cap - 1) * sizeof(WCHAR);
  HKEY k;
  if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, path, 0, KEY_READ, &k) != ERROR_SUCCESS)
    return 0;
  LONG rc = RegQueryValueExW(k, value, NULL, &type, (BYTE *)out, &cb);
  RegCloseKey(k);
  out[cb / sizeof(WCHAR)] = 0;
  return rc == ERROR_SUCCESS && type == REG_SZ;
}

/* A fixture whose MONITORINIT is the all-stub one (like Wine's). */
typedef struct fb_fx {
  mt_fx fx;
  int had_monitor_key;
} fb_fx;

static int fb_setup(fb_fx *b) {
  mt_fx *f = &b->fx;
  b->had_monitor_key = key_exists(MONITORS L"\\portway");
  if (!mt_load(f))
    return 0;
  memreg_fill_stub_init(&f->init, &f->mreg);
  f->m = f->init_fn(&f->init, &f->hmon);
  if (!f->m) {
    fprintf(stderr, "  init with stub MONITORREG failed: %lu\n",
            (unsigned long)GetLastError());
    f->hmon = NULL;
    return 0;
  }
  return mt_make_dir(NULL, f->dir, MT_PATH);
}

static void fb_teardown(fb_fx *b, const WCHAR *port) {
  WCHAR path[512];
  mt_teardown(&b->fx);
  _snwprintf(path, 512, MONITORS L"\\portway\\Ports\\%ls", port);
  delete_tree(path);
  if (!b->had_monitor_key)
    delete_tree(MONITORS L"\\portway");
}

#define FB_TEST(name, port)                                                    \
  static void name##_body(mt_fx *f, const WCHAR *p);                           \
  TEST(name) {                                                                 \
    fb_fx b;                                                                   \
    if (fb_setup(&b))                                                          \
      name##_body(&b.fx, port);                                                \
    else                                                                       \
      pw_test_failed_ = 1;                                                     \
    fb_teardown(&b, port);                                                     \
  }                                                                            \
  static void name##_body(mt_fx *f, const WCHAR *p)

FB_TEST(stub_monitorreg_selects_the_registry_fallback, L"PWFB1:") {
  WCHAR key[512], uri[1024];
  HANDLE port = NULL;
  int found = 0;
  _snwprintf(key, 512, MONITORS L"\\portway\\Ports\\%ls", p);
  ASSERT(memreg_stub_calls() > 0); /* the probe asked the spooler first */
  ASSERT_EQ(mt_add_file_port(f, p, f->dir), ERROR_SUCCESS);
  ASSERT(key_exists(key));
  ASSERT(read_sz(key, L"uri", uri, 1024));
  ASSERT(wcsncmp(uri, L"file:///", 8) == 0);
  ASSERT_EQ(mt_enum_count(f, p, &found), 1);
  ASSERT(found);
  ASSERT(f->m->pfnOpenPort(f->hmon, (LPWSTR)p, &port));
  ASSERT(mt_print(f, port, L"fallback", "data", 4, 4096));
  ASSERT(f->m->pfnClosePort(port));
  ASSERT_EQ(mt_count_entries(f->dir), 1);
  ASSERT_EQ(mt_delete_port(f, p), ERROR_SUCCESS);
  ASSERT(!key_exists(key));
  ASSERT_EQ(mt_enum_count(f, NULL, &found), 0);
}

FB_TEST(fallback_ports_persist_across_reinit, L"PWFB2:") {
  WCHAR before[2048], after[2048];
  BYTE in[64];
  DWORD cb = mt_strings(p, NULL, in, sizeof in), needed = 0;
  int found = 0;
  ASSERT_EQ(mt_add_file_port(f, p, f->dir), ERROR_SUCCESS);
  ASSERT_EQ(mt_xcv(f, PWM_TEST_MONITOR, 0, L"GetConfig", in, cb, before,
                   sizeof before, &needed),
            ERROR_SUCCESS);
  mt_shutdown(f);
  f->m = f->init_fn(&f->init, &f->hmon);
  ASSERT(f->m != NULL);
  ASSERT(mt_enum_count(f, p, &found) >= 1);
  ASSERT(found);
  ASSERT_EQ(mt_xcv(f, PWM_TEST_MONITOR, 0, L"GetConfig", in, cb, after,
                   sizeof after, &needed),
            ERROR_SUCCESS);
  ASSERT(wcscmp(before, after) == 0);
}

/* Another instance (a second process under Wine) sees a port added by this
 * one through the registry. */
FB_TEST(fallback_port_added_by_another_instance_can_be_opened, L"PWFB3:") {
  MONITORINIT init2;
  MONITORREG reg2;
  HANDLE h2 = NULL, port = NULL;
  memreg_fill_stub_init(&init2, &reg2);
  LPMONITOR2 m2 = f->init_fn(&init2, &h2);
  ASSERT(m2 != NULL);
  DWORD add = mt_add_file_port(f, p, f->dir);
  BOOL opened = m2->pfnOpenPort(h2, (LPWSTR)p, &port);
  BOOL closed = opened && m2->pfnClosePort(port);
  m2->pfnShutdown(h2);
  ASSERT_EQ(add, ERROR_SUCCESS);
  ASSERT(opened);
  ASSERT(closed);
}

FB_TEST(hostile_registry_values_are_skipped, L"PWFB4:") {
  WCHAR key[512];
  HKEY k;
  HANDLE port = (HANDLE)(ULONG_PTR)0xdeadbeef;
  BYTE junk[6] = {'f', 0, 'i', 0, 'l', 0};
  _snwprintf(key, 512, MONITORS L"\\portway\\Ports\\%ls", p);
  ASSERT(RegCreateKeyExW(HKEY_LOCAL_MACHINE, key, 0, NULL, 0, KEY_WRITE, NULL,
                         &k, NULL) == ERROR_SUCCESS);
  LONG rc = RegSetValueExW(k, L"uri", 0, REG_BINARY, junk, sizeof junk);
  RegCloseKey(k);
  ASSERT_EQ(rc, ERROR_SUCCESS);
  SetLastError(0);
  ASSERT(!f->m->pfnOpenPort(f->hmon, (LPWSTR)p, &port));
  ASSERT_EQ(GetLastError(), ERROR_UNKNOWN_PORT);
  ASSERT(port == (HANDLE)(ULONG_PTR)0xdeadbeef);
}

/* ---- choosing the monitor key ---- */

static int driver_is_portway(const WCHAR *monitor) {
  WCHAR path[512], driver[MAX_PATH + 1];
  _snwprintf(path, 512, MONITORS L"\\%ls", monitor);
  if (!read_sz(path, L"Driver", driver, MAX_PATH + 1))
    return 0;
  const WCHAR *leaf = wcsrchr(driver, L'\\');
  return _wcsicmp(leaf ? leaf + 1 : driver, L"portway.dll") == 0;
}

FB_TEST(fallback_uses_the_monitor_whose_driver_is_this_dll, L"PWFB5:") {
  WCHAR expect[512], other[512];
  HKEY k;
  static const WCHAR dll[] = L"portway.dll";
  mt_shutdown(f);
  ASSERT(RegCreateKeyExW(HKEY_LOCAL_MACHINE, MONITORS L"\\" ALT_MONITOR, 0,
                         NULL, 0, KEY_WRITE, NULL, &k, NULL) == ERROR_SUCCESS);
  RegSetValueExW(k, L"Driver", 0, REG_SZ, (const BYTE *)dll, sizeof dll);
  RegCloseKey(k);
  /* "portway" wins when it is installed too; otherwise the alias. */
  int installed = driver_is_portway(L"portway");
  const WCHAR *chosen = installed ? L"portway" : ALT_MONITOR;
  const WCHAR *not_chosen = installed ? ALT_MONITOR : L"portway";
  _snwprintf(expect, 512, MONITORS L"\\%ls\\Ports\\%ls", chosen, p);
  _snwprintf(other, 512, MONITORS L"\\%ls\\Ports\\%ls", not_chosen, p);
  f->m = f->init_fn(&f->init, &f->hmon);
  DWORD add = f->m ? mt_add_file_port(f, p, f->dir) : ERROR_GEN_FAILURE;
  int in_expected = key_exists(expect), in_other = key_exists(other);
  if (f->m)
    mt_delete_port(f, p);
  int gone = !key_exists(expect);
  delete_tree(MONITORS L"\\" ALT_MONITOR);
  ASSERT(f->m != NULL);
  ASSERT_EQ(add, ERROR_SUCCESS);
  ASSERT(in_expected);
  ASSERT(!in_other);
  ASSERT(gone);
}

/* ---- probing MONITORREG ---- */

static LONG WINAPI denied_create_key(HANDLE a, LPCWSTR b, DWORD c, REGSAM d,
                                     PSECURITY_ATTRIBUTES e, PHANDLE g,
                                     PDWORD h, HANDLE i) {
  (void)a, (void)b, (void)c, (void)d, (void)e, (void)g, (void)h, (void)i;
  return ERROR_ACCESS_DENIED;
}

MT_TEST(monitorreg_error_other_than_not_implemented_fails_init) {
  MONITORINIT init = f->init;
  MONITORREG reg = f->mreg;
  HANDLE h = (HANDLE)(ULONG_PTR)0xdeadbeef;
  reg.fpCreateKey = denied_create_key;
  init.pMonitorReg = &reg;
  SetLastError(0);
  ASSERT(f->init_fn(&init, &h) == NULL);
  ASSERT_EQ(GetLastError(), ERROR_ACCESS_DENIED);
  ASSERT(h == (HANDLE)(ULONG_PTR)0xdeadbeef);
}

MT_TEST(monitorreg_with_a_missing_callback_uses_the_fallback) {
  MONITORINIT init = f->init;
  MONITORREG reg = f->mreg;
  HANDLE h = NULL;
  int had = key_exists(MONITORS L"\\portway");
  reg.fpEnumValue = NULL;
  init.pMonitorReg = &reg;
  LPMONITOR2 m = f->init_fn(&init, &h);
  ASSERT(m != NULL);
  mt_fx alt = *f;
  alt.m = m;
  alt.hmon = h;
  DWORD add = mt_add_file_port(&alt, L"PWFB6:", f->dir);
  int in_registry = key_exists(MONITORS L"\\portway\\Ports\\PWFB6:");
  int in_memreg = memreg_key_exists(f->reg, L"Ports\\PWFB6:");
  mt_delete_port(&alt, L"PWFB6:");
  m->pfnShutdown(h);
  delete_tree(MONITORS L"\\portway\\Ports\\PWFB6:");
  if (!had)
    delete_tree(MONITORS L"\\portway");
  ASSERT_EQ(add, ERROR_SUCCESS);
  ASSERT(in_registry);
  ASSERT(!in_memreg);
}

TEST_MAIN(TEST_ENTRY(stub_monitorreg_selects_the_registry_fallback),
          TEST_ENTRY(fallback_ports_persist_across_reinit),
          TEST_ENTRY(fallback_port_added_by_another_instance_can_be_opened),
          TEST_ENTRY(hostile_registry_values_are_skipped),
          TEST_ENTRY(fallback_uses_the_monitor_whose_driver_is_this_dll),
          TEST_ENTRY(monitorreg_error_other_than_not_implemented_fails_init),
          TEST_ENTRY(monitorreg_with_a_missing_callback_uses_the_fallback))
