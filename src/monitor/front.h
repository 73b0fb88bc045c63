/* portway — the Windows front: shapes shared by the files of portway.dll.
 *
 * The front is thin: every MONITOR2 entry point validates its Win32
 * arguments, converts UTF-16 to UTF-8, calls one core function and maps the
 * result to a Win32 error code (errmap.c). All port, job and Xcv logic lives
 * in the core (include/portway/core.h). */
#ifndef PORTWAY_MONITOR_FRONT_H
#define PORTWAY_MONITOR_FRONT_H

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
#include <winspool.h>
#include <winsplp.h>

#include "portway/core.h"

#define PWM_MONITOR_NAME "portway"
#define PWM_MONITOR_NAME_W L"portway"
#define PWM_UI_DLL "portwayui.dll"

/* Longest UTF-16 string (units, without NUL) accepted from a caller for
 * document, printer, user and machine names; longer is
 * ERROR_INVALID_PARAMETER. */
#define PWM_MAX_STRING 4096
/* Longest port or object name accepted (a valid port name is <= 63 units;
 * this bound only stops scanning hostile input early). */
#define PWM_MAX_NAME 256
/* Longest Xcv command name. */
#define PWM_MAX_COMMAND 256

/* ---- config_store.c: pw_store over MONITORREG or the registry ---- */
typedef struct pwm_store pwm_store;
/* Decide once, by probing, whether the spooler's MONITORREG works or the
 * Win32 registry fallback is needed, and open the root. Returns a Win32
 * error code. */
DWORD pwm_store_open(const MONITORINIT *init, pwm_store **out);
/* NULL is a no-op. Only before pw_monitor_create succeeded: afterwards the
 * core releases the store (pw_store.release). */
void pwm_store_close(pwm_store *store);
/* The pw_store the core uses (valid while the store lives). */
const pw_store *pwm_store_iface(pwm_store *store);
/* 1 if the store is the Win32 registry fallback (MONITORREG not
 * implemented by the spooler). */
int pwm_store_is_fallback(const pwm_store *store);
/* The name of the monitor entry this instance serves: under the registry
 * fallback the name of the Monitors\<name> key the spooler passed as
 * hckRegistryRoot; with MONITORREG (or if that key's name cannot be read)
 * PWM_MONITOR_NAME_W. Valid while the store lives. */
const WCHAR *pwm_store_monitor_name(const pwm_store *store);

/* ---- dllmain.c: monitor instances ---- */
typedef struct pwm_instance pwm_instance;
/* Look up a live instance by the hMonitor the spooler passes back and take
 * a reference; NULL (with SetLastError(ERROR_INVALID_HANDLE)) for NULL,
 * garbage or shut-down handles. Never dereferences an unknown value. */
pwm_instance *pwm_instance_acquire(HANDLE hMonitor);
void pwm_instance_release(pwm_instance *inst);
pw_monitor *pwm_instance_core(pwm_instance *inst);
/* The monitor name this instance answers to (pwm_store_monitor_name,
 * copied at InitializePrintMonitor2). */
const WCHAR *pwm_instance_name(const pwm_instance *inst);

/* ---- errmap.c ---- */
/* The one table from core error codes to Win32 error codes. */
DWORD pwm_win32_error(int err);
/* A caller's string argument could not be converted: out of memory, or a
 * bad argument (not decodable, too long, malformed). */
static inline DWORD pwm_arg_error(int rc) {
  return rc == PW_ENOMEM ? ERROR_NOT_ENOUGH_MEMORY : ERROR_INVALID_PARAMETER;
}

/* ---- wstr.c: UTF-16 <-> UTF-8 at the boundary ---- */
/* Convert a caller's NUL-terminated UTF-16 string, reading at most `cap`
 * units, to newly allocated UTF-8. PW_EINVAL for NULL, PW_ENAMETOOLONG when
 * no NUL is found within `cap` units, PW_EBADDATA for invalid UTF-16,
 * PW_ENOMEM. */
int pwm_wide_to_utf8(const WCHAR *s, size_t cap, char **out);
/* Same, but NULL gives *out = NULL and PW_OK (optional strings). */
int pwm_wide_to_utf8_opt(const WCHAR *s, size_t cap, char **out);
/* UTF-8 to newly allocated NUL-terminated UTF-16; *units (may be NULL)
 * excludes the NUL. */
int pwm_utf8_to_wide(const char *s, WCHAR **out, size_t *units);

/* ---- datadir.c ---- */
/* <ProgramData>\portway, created if missing, as UTF-8 (malloc'd). A Win32
 * code. */
DWORD pwm_data_dir(char **out);

/* ---- docinfo.c: what StartDocPort knows about a job ---- */
typedef struct pwm_doc {
  char *printer, *doc_name, *user, *machine, *datatype;
} pwm_doc;
/* Gather the job's strings from the StartDocPort arguments, the spooler's
 * job record (GetJob) or the calling process. Returns a Win32 error code:
 * ERROR_INVALID_LEVEL, ERROR_INVALID_PARAMETER (NULL info, bad string),
 * ERROR_NOT_ENOUGH_MEMORY. */
DWORD pwm_doc_collect(const WCHAR *printer, DWORD job_id, DWORD level,
                      const BYTE *info, pwm_doc *out);
void pwm_doc_free(pwm_doc *doc);

/* ---- jobhook.c ---- */
/* Hooks given to the core: tells the spooler a job was delivered. ctx is
 * the pwm_instance. */
void pwm_hooks_init(pw_hooks *hooks);

/* ---- entry points (ports.c, job.c, xcv.c, dllmain.c, bidi.c) ---- */
BOOL WINAPI pwm_EnumPorts(HANDLE hMonitor, LPWSTR pName, DWORD Level,
                          LPBYTE pPorts, DWORD cbBuf, LPDWORD pcbNeeded,
                          LPDWORD pcReturned);
BOOL WINAPI pwm_OpenPort(HANDLE hMonitor, LPWSTR pName, PHANDLE pHandle);
BOOL WINAPI pwm_AddPortEx(HANDLE hMonitor, LPWSTR pName, DWORD Level,
                          LPBYTE lpBuffer, LPWSTR lpMonitorName);
BOOL WINAPI pwm_StartDocPort(HANDLE hPort, LPWSTR pPrinterName, DWORD JobId,
                             DWORD Level, LPBYTE pDocInfo);
BOOL WINAPI pwm_WritePort(HANDLE hPort, LPBYTE pBuffer, DWORD cbBuf,
                          LPDWORD pcbWritten);
BOOL WINAPI pwm_ReadPort(HANDLE hPort, LPBYTE pBuffer, DWORD cbBuffer,
                         LPDWORD pcbRead);
BOOL WINAPI pwm_EndDocPort(HANDLE hPort);
BOOL WINAPI pwm_ClosePort(HANDLE hPort);
BOOL WINAPI pwm_SetPortTimeOuts(HANDLE hPort, LPCOMMTIMEOUTS lpCTO,
                                DWORD reserved);
BOOL WINAPI pwm_XcvOpenPort(HANDLE hMonitor, LPCWSTR pszObject,
                            ACCESS_MASK GrantedAccess, PHANDLE phXcv);
DWORD WINAPI pwm_XcvDataPort(HANDLE hXcv, LPCWSTR pszDataName, PBYTE pInputData,
                             DWORD cbInputData, PBYTE pOutputData,
                             DWORD cbOutputData, PDWORD pcbOutputNeeded);
BOOL WINAPI pwm_XcvClosePort(HANDLE hXcv);
VOID WINAPI pwm_Shutdown(HANDLE hMonitor);
DWORD WINAPI pwm_SendRecvBidiDataFromPort(HANDLE hPort, DWORD dwAccessBit,
                                          LPCWSTR pAction,
                                          PBIDI_REQUEST_CONTAINER pReqData,
                                          PBIDI_RESPONSE_CONTAINER *ppResData);

/* Handles: the core's pw_handle travels as the HANDLE value itself; the
 * core validates it (type tag + serial), so forged values are harmless. */
static inline pw_handle pwm_handle_from(HANDLE h) {
  return (pw_handle)(uintptr_t)h;
}
static inline HANDLE pwm_handle_to(pw_handle h) {
  return (HANDLE)(uintptr_t)h;
}

#endif
