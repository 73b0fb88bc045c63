/* portway.dll — the registry fallback: when the spooler's MONITORREG
 * callbacks answer ERROR_CALL_NOT_IMPLEMENTED or are missing, ports live
 * below the real key the spooler passes as hckRegistryRoot (Wine 8.0,
 * observed: HKLM\SYSTEM\CurrentControlSet\Control\Print\Monitors\<name>),
 * in Ports\<port>, where Wine's spooler looks for them to route jobs
 * (learn.microsoft.com "MONITORINIT structure", "MONITORREG structure").
 *
 * These tests write to the Wine prefix's HKLM. Each removes what it
 * created, including the monitor key if it did not exist before. */
#include "test.h"

#include <shlobj.h>
#include <stdlib.h>
#include <wchar.h>

#include "monfix.h"

#define MONITORS MEMREG_MONITORS
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
  if (!memreg_fill_stub_init(&f->init, &f->mreg, L"portway"))
    return 0;
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
  memreg_close_stub_init(&b->fx.init);
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
  ASSERT(read_sz(key, L"Config", uri, 1024));
  ASSERT(wcsncmp(uri, L"uri=file:///", 12) == 0);
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
  ASSERT(memreg_fill_stub_init(&init2, &reg2, L"portway"));
  LPMONITOR2 m2 = f->init_fn(&init2, &h2);
  memreg_close_stub_init(&init2); /* the monitor holds its own handle */
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
  /* The same as the whole-config value. */
  ASSERT(RegCreateKeyExW(HKEY_LOCAL_MACHINE, key, 0, NULL, 0, KEY_WRITE, NULL,
                         &k, NULL) == ERROR_SUCCESS);
  rc = RegSetValueExW(k, L"Config", 0, REG_BINARY, junk, sizeof junk);
  RegCloseKey(k);
  ASSERT_EQ(rc, ERROR_SUCCESS);
  SetLastError(0);
  ASSERT(!f->m->pfnOpenPort(f->hmon, (LPWSTR)p, &port));
  ASSERT_EQ(GetLastError(), ERROR_UNKNOWN_PORT);
  ASSERT(port == (HANDLE)(ULONG_PTR)0xdeadbeef);
}

/* ---- the monitor key is the one the spooler passes ---- */

/* Two Monitors\<name> entries may name the same DLL (an admin installs it
 * twice, e.g. for two groups of ports). Each instance must use the key the
 * spooler passed for it, never one found by searching for our DLL. */
FB_TEST(two_monitor_entries_on_one_dll_keep_separate_port_lists, L"PWFB5:") {
  static const WCHAR dll[] = L"portway.dll";
  static const WCHAR *alt_port = L"PWFB5B:";
  WCHAR mine[512], alt_mine[512], in_alt[512], alt_in_main[512];
  MONITORINIT init2;
  MONITORREG reg2;
  HANDLE h2 = NULL;
  HKEY k;
  int found_main = 0, found_alt = 0, cross_main = 1, cross_alt = 1;
  _snwprintf(mine, 512, MONITORS L"\\portway\\Ports\\%ls", p);
  _snwprintf(in_alt, 512, MONITORS L"\\" ALT_MONITOR L"\\Ports\\%ls", p);
  _snwprintf(alt_mine, 512, MONITORS L"\\" ALT_MONITOR L"\\Ports\\%ls",
             alt_port);
  _snwprintf(alt_in_main, 512, MONITORS L"\\portway\\Ports\\%ls", alt_port);
  ASSERT(RegCreateKeyExW(HKEY_LOCAL_MACHINE, MONITORS L"\\" ALT_MONITOR, 0,
                         NULL, 0, KEY_WRITE, NULL, &k, NULL) == ERROR_SUCCESS);
  RegSetValueExW(k, L"Driver", 0, REG_SZ, (const BYTE *)dll, sizeof dll);
  RegCloseKey(k);
  /* Both entries exist before either instance starts. */
  mt_shutdown(f);
  f->m = f->init_fn(&f->init, &f->hmon);
  ASSERT(f->m != NULL);
  ASSERT(memreg_fill_stub_init(&init2, &reg2, ALT_MONITOR));
  LPMONITOR2 m2 = f->init_fn(&init2, &h2);
  memreg_close_stub_init(&init2);
  mt_fx alt = *f;
  alt.m = m2;
  alt.hmon = h2;
  DWORD add_main = mt_add_file_port(f, p, f->dir);
  DWORD add_alt = m2 ? mt_add_file_port(&alt, alt_port, f->dir) : 0;
  int n_main = mt_enum_count(f, p, &found_main);
  int n_alt = m2 ? mt_enum_count(&alt, alt_port, &found_alt) : -1;
  mt_enum_count(f, alt_port, &cross_main);
  if (m2)
    mt_enum_count(&alt, p, &cross_alt);
  int keys_ok = key_exists(mine) && key_exists(alt_mine) &&
                !key_exists(in_alt) && !key_exists(alt_in_main);
  if (m2) {
    mt_delete_port(&alt, alt_port);
    m2->pfnShutdown(h2);
  }
  delete_tree(MONITORS L"\\" ALT_MONITOR);
  ASSERT(m2 != NULL);
  ASSERT_EQ(add_main, ERROR_SUCCESS);
  ASSERT_EQ(add_alt, ERROR_SUCCESS);
  ASSERT_EQ(n_main, 1);
  ASSERT_EQ(n_alt, 1);
  ASSERT(found_main);
  ASSERT(found_alt);
  ASSERT(!cross_main);
  ASSERT(!cross_alt);
  ASSERT(keys_ok);
}

/* AddPortEx names the monitor; under the fallback that is the name of the
 * key the spooler passed. */
FB_TEST(fallback_addportex_accepts_only_its_own_key_name, L"PWFB7:") {
  static const WCHAR dll[] = L"portway.dll";
  PORT_INFO_1W pi = {(LPWSTR)L"PWFB7:"};
  MONITORINIT init2;
  MONITORREG reg2;
  HANDLE h2 = NULL;
  HKEY k;
  int found = 1;
  (void)p;
  ASSERT(RegCreateKeyExW(HKEY_LOCAL_MACHINE, MONITORS L"\\" ALT_MONITOR, 0,
                         NULL, 0, KEY_WRITE, NULL, &k, NULL) == ERROR_SUCCESS);
  RegSetValueExW(k, L"Driver", 0, REG_SZ, (const BYTE *)dll, sizeof dll);
  RegCloseKey(k);
  ASSERT(memreg_fill_stub_init(&init2, &reg2, ALT_MONITOR));
  LPMONITOR2 m2 = f->init_fn(&init2, &h2);
  memreg_close_stub_init(&init2);
  BOOL by_other = FALSE, by_own = FALSE;
  DWORD other_err = 0;
  mt_fx alt = *f;
  alt.m = m2;
  alt.hmon = h2;
  if (m2) {
    SetLastError(0);
    by_other = m2->pfnAddPortEx(h2, NULL, 1, (LPBYTE)&pi, (LPWSTR)L"portway");
    other_err = GetLastError();
    mt_enum_count(&alt, L"PWFB7:", &found);
    by_own = m2->pfnAddPortEx(h2, NULL, 1, (LPBYTE)&pi,
                              (LPWSTR)L"portwayalttest"); /* any case */
    mt_delete_port(&alt, L"PWFB7:");
    m2->pfnShutdown(h2);
  }
  delete_tree(MONITORS L"\\" ALT_MONITOR);
  ASSERT(m2 != NULL);
  ASSERT(!by_other);
  ASSERT_EQ(other_err, ERROR_INVALID_PARAMETER);
  ASSERT(!found);
  ASSERT(by_own);
}

MT_TEST(fallback_without_a_registry_root_fails_init) {
  MONITORINIT init;
  MONITORREG reg;
  HANDLE h = (HANDLE)(ULONG_PTR)0xdeadbeef;
  ASSERT(memreg_fill_stub_init(&init, &reg, NULL));
  SetLastError(0);
  ASSERT(f->init_fn(&init, &h) == NULL);
  ASSERT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  ASSERT(h == (HANDLE)(ULONG_PTR)0xdeadbeef);
  /* A predefined key is no monitor's root either. */
  init.hckRegistryRoot = (HKEYMONITOR)HKEY_LOCAL_MACHINE;
  SetLastError(0);
  ASSERT(f->init_fn(&init, &h) == NULL);
  ASSERT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
}

/* Lines of the monitor log (C:\\ProgramData\\portway\\portway.log) that
 * contain `needle`; 0 if there is no log yet. */
static int log_lines_with(const char *needle) {
  WCHAR path[MAX_PATH + 32];
  BYTE *data = NULL;
  size_t len = 0;
  int n = 0;
  if (FAILED(SHGetFolderPathW(NULL, CSIDL_COMMON_APPDATA, NULL,
                              SHGFP_TYPE_CURRENT, path)))
    return -1;
  wcscat(path, L"\\portway\\portway.log");
  if (!mt_read_file(path, &data, &len))
    return 0;
  data[len] = 0;
  for (const char *p = (const char *)data; (p = strstr(p, needle)) != NULL; p++)
    n++;
  free(data);
  return n;
}

/* The fallback says once, in the log, where the ports are kept. */
FB_TEST(fallback_logs_one_line_when_an_instance_starts, L"PWFB9:") {
  static const char line[] = "does not implement MONITORREG";
  MONITORINIT init2;
  MONITORREG reg2;
  HANDLE h2 = NULL;
  (void)p;
  int before = log_lines_with(line);
  ASSERT(before >= 1); /* this fixture's own instance */
  ASSERT(memreg_fill_stub_init(&init2, &reg2, L"portway"));
  LPMONITOR2 m2 = f->init_fn(&init2, &h2);
  memreg_close_stub_init(&init2);
  ASSERT(m2 != NULL);
  m2->pfnShutdown(h2);
  ASSERT_EQ(log_lines_with(line), before + 1);
  /* A working MONITORREG logs no such line. */
  mt_fx other;
  int ok = mt_setup(&other);
  mt_teardown(&other);
  ASSERT(ok);
  ASSERT_EQ(log_lines_with(line), before + 1);
}

/* ---- the stored configuration changes atomically ---- */

typedef struct flip_ctx {
  mt_fx *f;
  const WCHAR *port;
  const WCHAR *config[2];
  volatile LONG stop;
  LONG sets;
} flip_ctx;

static DWORD WINAPI flip_configs(void *arg) {
  flip_ctx *c = arg;
  BYTE in[4096];
  for (int i = 0; !InterlockedCompareExchange(&c->stop, 0, 0); i++) {
    DWORD cb = mt_strings(c->port, c->config[i & 1], in, sizeof in);
    if (mt_xcv(c->f, PWM_TEST_MONITOR, SERVER_ACCESS_ADMINISTER, L"SetConfig",
               in, cb, NULL, 0, NULL) != ERROR_SUCCESS)
      return 1;
    InterlockedIncrement(&c->sets);
  }
  return 0;
}

/* A reader in another process reads the port key while this one rewrites
 * it again and again: it sees one configuration or the other, whole. */
FB_TEST(another_reader_sees_the_old_or_the_new_config_never_a_mix, L"PWFB8:") {
  static flip_ctx c;
  WCHAR a[MT_PATH * 3], b[MT_PATH * 3], key[512];
  WCHAR canon[2][MT_PATH * 3];
  BYTE in[4096];
  int reads = 0, mixed = 0, other_values = 0;
  mt_file_config(f->dir, a, MT_PATH * 3);
  wcscpy(b, a);
  wcscat(a, L"pattern=a-{job}.prn\n");
  wcscat(b, L"pattern=b-{job}-{n}.prn\n");
  _snwprintf(key, 512, MONITORS L"\\portway\\Ports\\%ls", p);
  ASSERT_EQ(mt_add_port_config(f, p, a), ERROR_SUCCESS);
  /* The stored texts are the core's canonical form of a and b. */
  const WCHAR *src[2] = {a, b};
  for (int i = 1; i >= 0; i--) {
    DWORD cb = mt_strings(p, src[i], in, sizeof in);
    ASSERT_EQ(mt_xcv(f, PWM_TEST_MONITOR, SERVER_ACCESS_ADMINISTER,
                     L"SetConfig", in, cb, NULL, 0, NULL),
              ERROR_SUCCESS);
    ASSERT(read_sz(key, L"Config", canon[i], MT_PATH * 3));
  }
  ASSERT(wcscmp(canon[0], canon[1]) != 0);
  c.f = f;
  c.port = p;
  c.config[0] = b;
  c.config[1] = a;
  c.stop = 0;
  c.sets = 0;
  HANDLE t = CreateThread(NULL, 0, flip_configs, &c, 0, NULL);
  ASSERT(t != NULL);
  double t0 = mt_now_ms();
  while (mt_now_ms() - t0 < 1500.0 ||
         InterlockedCompareExchange(&c.sets, 0, 0) < 20) {
    WCHAR got[MT_PATH * 3];
    HKEY k;
    if (mt_now_ms() - t0 > 20000.0)
      break;
    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, key, 0, KEY_READ, &k) !=
        ERROR_SUCCESS) {
      mixed++;
      continue;
    }
    DWORD type = 0, cb = sizeof got - sizeof got[0], nvalues = 0;
    LONG rc = RegQueryValueExW(k, L"Config", NULL, &type, (BYTE *)got, &cb);
    RegQueryInfoKeyW(k, NULL, NULL, NULL, NULL, NULL, NULL, &nvalues, NULL,
                     NULL, NULL, NULL);
    RegCloseKey(k);
    got[cb / sizeof got[0]] = 0;
    reads++;
    if (rc != ERROR_SUCCESS || type != REG_SZ ||
        (wcscmp(got, canon[0]) && wcscmp(got, canon[1])))
      mixed++;
    if (nvalues != 1)
      other_values++;
  }
  InterlockedExchange(&c.stop, 1);
  ASSERT(WaitForSingleObject(t, 30000) == WAIT_OBJECT_0);
  DWORD code = 1;
  GetExitCodeThread(t, &code);
  CloseHandle(t);
  ASSERT_EQ(code, 0);
  ASSERT(c.sets >= 20);
  ASSERT(reads > 0);
  ASSERT_EQ(mixed, 0);
  ASSERT_EQ(other_values, 0);
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

/* With a callback missing, the spooler's hckRegistryRoot must be a real key
 * for the fallback to use. */
MT_TEST(monitorreg_with_a_missing_callback_uses_the_fallback) {
  MONITORINIT init = f->init;
  MONITORREG reg = f->mreg;
  HANDLE h = NULL;
  HKEY root = NULL;
  int had = key_exists(MONITORS L"\\portway");
  reg.fpEnumValue = NULL;
  init.pMonitorReg = &reg;
  /* memreg's root is no HKEY: refused, not guessed. */
  SetLastError(0);
  ASSERT(f->init_fn(&init, &h) == NULL);
  ASSERT_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  ASSERT(RegCreateKeyExW(HKEY_LOCAL_MACHINE, MONITORS L"\\portway", 0, NULL, 0,
                         KEY_READ | KEY_WRITE, NULL, &root,
                         NULL) == ERROR_SUCCESS);
  init.hckRegistryRoot = (HKEYMONITOR)root;
  LPMONITOR2 m = f->init_fn(&init, &h);
  RegCloseKey(root);
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
          TEST_ENTRY(two_monitor_entries_on_one_dll_keep_separate_port_lists),
          TEST_ENTRY(fallback_addportex_accepts_only_its_own_key_name),
          TEST_ENTRY(fallback_without_a_registry_root_fails_init),
          TEST_ENTRY(fallback_logs_one_line_when_an_instance_starts),
          TEST_ENTRY(another_reader_sees_the_old_or_the_new_config_never_a_mix),
          TEST_ENTRY(monitorreg_error_other_than_not_implemented_fails_init),
          TEST_ENTRY(monitorreg_with_a_missing_callback_uses_the_fallback))
