/* portway — portwaylm.dll, the PJL language monitor's Windows front: the
 * MONITOR2 entry points translated into the language monitor's core
 * (include/portway/langmon.h). It shares portway.dll's boundary helpers
 * (UTF-16 <-> UTF-8, error codes, the registry over MONITORREG) by
 * compiling the same files (src/monitor/wstr.c, errmap.c, regkey.c). */
#ifndef PORTWAY_LANGMON_FRONT_H
#define PORTWAY_LANGMON_FRONT_H

#include "monitor/front.h"
#include "monitor/regkey.h"
#include "portway/langmon.h"

#define PWL_MONITOR_NAME "portway PJL"

/* ---- dllmain.c: instances ---- */
typedef struct pwl_instance pwl_instance;
/* A live instance for hMonitor with a reference, or NULL
 * (ERROR_INVALID_HANDLE set). */
pwl_instance *pwl_instance_acquire(HANDLE hMonitor);
void pwl_instance_release(pwl_instance *inst);
pw_lm *pwl_instance_core(pwl_instance *inst);
const pwm_reg *pwl_instance_reg(pwl_instance *inst);

/* ---- lower.c: the port monitor below, as a pw_lm_lower ---- */
typedef struct pwl_lower pwl_lower;
/* Check the port monitor's table (the entry points a language monitor
 * needs: ERROR_INVALID_PRINT_MONITOR without them), copy it, open the port
 * through it. *out's close calls its ClosePort exactly once. Win32 code. */
DWORD pwl_lower_open(const MONITOR2 *pm, HANDLE hMonitorPort, const WCHAR *port,
                     pw_lm_lower *out);
/* StartDocPort forwards the spooler's own arguments: pw_lm_start_doc's
 * lower_arg, which reaches lower.start_doc unchanged. */
typedef struct pwl_start_args {
  const WCHAR *printer;
  DWORD level;
  const BYTE *info;
} pwl_start_args;

/* The port monitor's table and port handle behind a lower ctx (for
 * pw_lm_forward's function). */
HANDLE pwl_lower_port(void *lower_ctx, const MONITOR2 **pm);
/* The arguments of a query job (pw_lm_query's lower_arg). */
const pwl_start_args *pwl_query_args(void);

/* ---- options.c ---- */
/* The port's options from Ports\<port>\Options (MONITORREG, or the
 * registry key the spooler passed); defaults when absent; a bad text is
 * logged and the defaults are used. */
void pwl_read_options(pwl_instance *inst, const WCHAR *port,
                      pw_lm_port_options *out);

/* ---- hooks.c: SetPort (PORT_INFO_3) and SetJob (LAST_PAGE_EJECTED) ---- */
void pwl_hooks_init(pw_lm_hooks *hooks);

/* ---- port.c: the entry points ---- */
BOOL WINAPI pwl_OpenPortEx(HANDLE hMonitor, HANDLE hMonitorPort,
                           LPWSTR pPortName, LPWSTR pPrinterName,
                           PHANDLE pHandle, struct _MONITOR2 *pMonitor2);
BOOL WINAPI pwl_StartDocPort(HANDLE hPort, LPWSTR pPrinterName, DWORD JobId,
                             DWORD Level, LPBYTE pDocInfo);
BOOL WINAPI pwl_WritePort(HANDLE hPort, LPBYTE pBuffer, DWORD cbBuf,
                          LPDWORD pcbWritten);
BOOL WINAPI pwl_ReadPort(HANDLE hPort, LPBYTE pBuffer, DWORD cbBuffer,
                         LPDWORD pcbRead);
BOOL WINAPI pwl_EndDocPort(HANDLE hPort);
BOOL WINAPI pwl_ClosePort(HANDLE hPort);
/* bidi.c */
DWORD WINAPI pwl_SendRecvBidiDataFromPort(HANDLE hPort, DWORD dwAccessBit,
                                          LPCWSTR pAction,
                                          PBIDI_REQUEST_CONTAINER pReqData,
                                          PBIDI_RESPONSE_CONTAINER *ppResData);
BOOL WINAPI pwl_GetPrinterDataFromPort(HANDLE hPort, DWORD ControlID,
                                       LPWSTR pValueName, LPWSTR lpInBuffer,
                                       DWORD cbInBuffer, LPWSTR lpOutBuffer,
                                       DWORD cbOutBuffer, LPDWORD lpcbReturned);
VOID WINAPI pwl_Shutdown(HANDLE hMonitor);

#endif
