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

typedef enum pw_err {
  PW_OK = 0,
  PW_ENOMEM = -1,     /* allocation failed */
  PW_EINVAL = -2,     /* bad argument (caller error) */
  PW_ENOENT = -3,     /* no such port / file / key */
  PW_EEXIST = -4,     /* already exists */
  PW_EBUSY = -5,      /* in use (e.g. a job is already active) */
  PW_EBADHANDLE = -6, /* NULL, garbage, stale or closed handle */
  PW_ESTATE = -7,  /* call out of order (e.g. WritePort before StartDocPort) */
  PW_EIO = -8,     /* I/O error at the destination */
  PW_ENOSPC = -9,  /* destination full */
  PW_EACCES = -10, /* access denied */
  PW_ENAMETOOLONG = -11, /* name or path too long */
  PW_ENOTSUP = -12,      /* operation not supported by this port type */
  PW_ELEVEL = -13,       /* unsupported info level / struct version */
  PW_EBADDATA = -14,   /* malformed input data (Xcv buffer, encoding, syntax) */
  PW_ENOBUFS = -15,    /* output buffer too small; *needed tells the size */
  PW_EBADNAME = -16,   /* invalid port name */
  PW_EBADCONFIG = -17, /* invalid configuration (URI, option, value) */
  PW_EABORTED = -18,  /* job was poisoned by an earlier failure and discarded */
  PW_ETIMEDOUT = -19, /* destination did not answer in time */
  PW_ENOTFOUNDCMD = -20 /* unknown Xcv command */
} pw_err;

/* Short human-readable text for an error code (never NULL). */
const char *pw_strerror(int err);
/* Symbolic name ("PW_ENOENT"), for logs and test output (never NULL). */
const char *pw_errname(int err);

#ifdef __cplusplus
}
#endif
#endif
