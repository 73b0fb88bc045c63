/* portway — core error codes.
 *
 * Every core function returns 0 (PW_OK) or a negative pw_err. The Windows
 * front maps them to Win32 codes in exactly one place (src/monitor/errmap.c).
 */
#ifndef PORTWAY_ERROR_H
#define PORTWAY_ERROR_H

/* printf-style format checking. mingw's plain "printf" means the MSVCRT
 * dialect; we build with __USE_MINGW_ANSI_STDIO=1, i.e. C99 formats. */
#if defined(__MINGW32__)
#define PW_PRINTF(fmt, args) __attribute__((format(gnu_printf, fmt, args)))
#elif defined(__GNUC__)
#define PW_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define PW_PRINTF(fmt, args)
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The one list of error codes. Everything else is generated from it: the
 * pw_err enum, pw_errname, pw_strerror, pw_err_is_transient, and the Windows
 * front's Win32 table (src/monitor/errmap.c), which fails to compile when a
 * code here has no Win32 mapping there. Values never change (they reach
 * logs and tests); a new code takes the next free negative value.
 *
 * X(name, value, retry, text)
 *   retry: PW_TRANSIENT for a failure worth retrying later (the device was
 *   busy, slow, or not reachable for now), PW_FATAL for everything else. */
#define PW_TRANSIENT 1
#define PW_FATAL 0
/* clang-format off */
#define PW_ERROR_LIST(X)                                                       \
  X(PW_OK,            0, PW_FATAL,     "success")                              \
  /* allocation failed */                                                      \
  X(PW_ENOMEM,       -1, PW_FATAL,     "out of memory")                        \
  /* bad argument (caller error) */                                            \
  X(PW_EINVAL,       -2, PW_FATAL,     "invalid argument")                     \
  /* no such port / file / key */                                              \
  X(PW_ENOENT,       -3, PW_FATAL,     "not found")                            \
  X(PW_EEXIST,       -4, PW_FATAL,     "already exists")                       \
  /* in use (a job is already active, a device or file is locked) */           \
  X(PW_EBUSY,        -5, PW_TRANSIENT, "in use")                               \
  /* NULL, garbage, stale or closed handle */                                  \
  X(PW_EBADHANDLE,   -6, PW_FATAL,     "invalid handle")                       \
  /* call out of order (e.g. WritePort before StartDocPort) */                 \
  X(PW_ESTATE,       -7, PW_FATAL,     "call out of order")                    \
  /* I/O error at the destination */                                           \
  X(PW_EIO,          -8, PW_FATAL,     "I/O error")                            \
  /* destination full */                                                       \
  X(PW_ENOSPC,       -9, PW_FATAL,     "no space left at destination")         \
  X(PW_EACCES,      -10, PW_FATAL,     "access denied")                        \
  X(PW_ENAMETOOLONG,-11, PW_FATAL,     "name or path too long")                \
  /* operation not supported by this port type */                              \
  X(PW_ENOTSUP,     -12, PW_FATAL,     "not supported by this port type")      \
  /* unsupported info level / struct version */                                \
  X(PW_ELEVEL,      -13, PW_FATAL,     "unsupported info level")               \
  /* malformed input data (Xcv buffer, encoding, syntax) */                    \
  X(PW_EBADDATA,    -14, PW_FATAL,     "malformed input data")                 \
  /* output buffer too small; *needed tells the size */                        \
  X(PW_ENOBUFS,     -15, PW_FATAL,     "buffer too small")                     \
  X(PW_EBADNAME,    -16, PW_FATAL,     "invalid port name")                    \
  /* invalid configuration (URI, option, value) */                             \
  X(PW_EBADCONFIG,  -17, PW_FATAL,     "invalid configuration")                \
  /* job was poisoned by an earlier failure and discarded */                   \
  X(PW_EABORTED,    -18, PW_FATAL,     "job aborted after an earlier failure") \
  /* destination did not answer in time */                                     \
  X(PW_ETIMEDOUT,   -19, PW_TRANSIENT, "destination timed out")                \
  /* unknown Xcv command */                                                    \
  X(PW_ENOTFOUNDCMD,-20, PW_FATAL,     "unknown command")                      \
  /* I/O cancelled: port closed or monitor shut down (never retried) */        \
  X(PW_ECANCELED,   -21, PW_FATAL,                                             \
    "cancelled (port closed or monitor shut down)")                            \
  /* the device refused the connection */                                      \
  X(PW_ECONNREFUSED,-22, PW_TRANSIENT, "connection refused")                   \
  /* no route to the device's host */                                          \
  X(PW_EHOSTUNREACH,-23, PW_TRANSIENT, "host unreachable")                     \
  /* the device's network is unreachable */                                    \
  X(PW_ENETUNREACH, -24, PW_TRANSIENT, "network unreachable")                  \
  /* the device closed or reset the connection */                              \
  X(PW_ECONNRESET,  -25, PW_TRANSIENT, "connection reset by the device")       \
  /* host name could not be resolved (a wrong name: retrying will not help) */ \
  X(PW_ENOHOST,     -26, PW_FATAL,     "host name not found")                  \
  /* the device answered outside its protocol */                               \
  X(PW_EPROTO,      -27, PW_FATAL,     "protocol error")                       \
  /* rename across volumes (temporary and final directory differ) */           \
  X(PW_EXDEV,       -28, PW_FATAL,     "cannot move the file across volumes")  \
  /* the port was deleted */                                                   \
  X(PW_EPORTGONE,   -29, PW_FATAL,     "the port was deleted")                 \
  /* the TLS handshake or record layer failed (not the certificate) */        \
  X(PW_ETLS,        -30, PW_FATAL,     "TLS failure")                          \
  /* the device's certificate is not trusted: chain, name or pin */           \
  X(PW_ECERT,       -31, PW_FATAL,     "device certificate not trusted")       \
  /* the device understood the job and refused it (IPP client-error-*, */     \
  /* not-accepting-jobs, an unsupported document format...) */                \
  X(PW_EREJECTED,   -32, PW_FATAL,     "the device refused the job")
/* clang-format on */

#define PW_ERR_ENUM_(name, value, retry, text) name = (value),
typedef enum pw_err { PW_ERROR_LIST(PW_ERR_ENUM_) } pw_err;
#undef PW_ERR_ENUM_

/* Short human-readable text for an error code (never NULL; "unknown error"
 * for a value not in the list). */
const char *pw_strerror(int err);
/* Symbolic name ("PW_ENOENT"), for logs and test output (never NULL; "PW_E?"
 * for a value not in the list). */
const char *pw_errname(int err);
/* 1 if `err` is worth retrying later (PW_TRANSIENT in the list), 0 for
 * success, fatal and unknown codes. Only fatal errors poison a job. */
int pw_err_is_transient(int err);

#ifdef __cplusplus
}
#endif
#endif
