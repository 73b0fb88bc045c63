/* portway — platform layer interface.
 *
 * One declaration, two definitions: src/platform/posix/ and
 * src/platform/win32/. The core uses only this header for OS services.
 * Paths are UTF-8 with '/' or '\' separators; the win32 side converts to
 * UTF-16 (and adds the \\?\ prefix for long absolute paths).
 */
#ifndef PORTWAY_PLATFORM_H
#define PORTWAY_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#ifdef _WIN32
/* Layout-compatible with SRWLOCK (one pointer); statically initialisable and
 * needs no destruction. Kept free of <windows.h> so core stays Win32-free. */
typedef struct pw_mutex {
  void *opaque;
} pw_mutex;
/* Layout-compatible with CONDITION_VARIABLE. */
typedef struct pw_cond {
  void *opaque;
} pw_cond;
#define PW_MUTEX_INIT                                                          \
  { 0 }
#else
#include <pthread.h>
typedef struct pw_mutex {
  pthread_mutex_t m;
} pw_mutex;
typedef struct pw_cond {
  pthread_cond_t c; /* on CLOCK_MONOTONIC */
} pw_cond;
#define PW_MUTEX_INIT                                                          \
  { PTHREAD_MUTEX_INITIALIZER }
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- locks ---- */
void pw_mutex_init(pw_mutex *m);
void pw_mutex_destroy(pw_mutex *m);
void pw_mutex_lock(pw_mutex *m);
void pw_mutex_unlock(pw_mutex *m);

/* ---- condition variables ----
 * Every wait is bounded: pw_cond_wait_ms returns after at most `ms`
 * milliseconds (measured on the monotonic clock), or earlier when signalled
 * or spuriously; callers re-check their predicate and their deadline. */
void pw_cond_init(pw_cond *c);
void pw_cond_destroy(pw_cond *c);
void pw_cond_wait_ms(pw_cond *c, pw_mutex *m, uint32_t ms);
void pw_cond_broadcast(pw_cond *c);

/* ---- threads (used by tests and tools) ---- */
typedef struct pw_thread pw_thread;
/* On failure *t is NULL (when t is not NULL): PW_EINVAL, PW_ENOMEM... */
int pw_thread_start(pw_thread **t, void (*fn)(void *), void *arg);
int pw_thread_join(pw_thread *t); /* frees t */
/* Let it run on alone (its end frees what it holds); frees t. For a thread
 * a bounded wait gave up on: never a way to skip waiting normally. */
int pw_thread_detach(pw_thread *t);

/* ---- files ----
 * All return PW_OK or a negative pw_err mapped from errno / GetLastError:
 * PW_ENOENT, PW_EEXIST, PW_EACCES, PW_ENOSPC, PW_ENAMETOOLONG, PW_EIO. */
typedef struct pw_file pw_file;

/* Create a new file for writing; fails with PW_EEXIST if it exists
 * (O_CREAT|O_EXCL / CREATE_NEW). Not inheritable by child processes. */
int pw_file_create_new(const char *path, pw_file **out);
/* Open for appending, creating if needed, shared with other writers (logs). */
int pw_file_open_append(const char *path, pw_file **out);
/* Write all `len` bytes or fail (retries short writes and EINTR). */
int pw_file_write_all(pw_file *f, const void *buf, size_t len);
/* Flush OS buffers to stable storage. */
int pw_file_sync(pw_file *f);
/* Current size of the open file in bytes (the log rotates on it). */
int pw_file_size(pw_file *f, uint64_t *size);
/* A new, nameless-to-others temporary file in directory `dir` (created if
 * missing), open for writing and reading, removed by the OS when closed or
 * when the process dies (O_TMPFILE or mkstemp+unlink on POSIX;
 * FILE_FLAG_DELETE_ON_CLOSE on Windows). For spooling a job whose size must
 * be known before it is sent. */
int pw_file_open_temp(const char *dir, pw_file **out);
/* Read up to len bytes at `offset` (the write position is not moved):
 * PW_OK with *got (0 at end of file). */
int pw_file_read_at(pw_file *f, uint64_t offset, void *buf, size_t len,
                    size_t *got);
/* Close; returns the first deferred write error if any. NULL is a no-op. */
int pw_file_close(pw_file *f);

/* Give `from` the name `to` without ever replacing an existing `to`
 * (link+unlink on POSIX, MoveFileExW without REPLACE_EXISTING on win32).
 * PW_EEXIST if `to` exists; on any failure `from` is left as it was. */
int pw_file_rename_noreplace(const char *from, const char *to);
/* The same for a file still open: `f` was created at `from` with
 * pw_file_create_new and stays open under its new name. On Windows this
 * renames through the handle (SetFileInformationByHandle), which saves
 * opening the file again; on POSIX it is pw_file_rename_noreplace. */
int pw_file_rename_open_noreplace(pw_file *f, const char *from, const char *to);
int pw_file_remove(const char *path);
/* PW_OK if `path` exists and is a directory, PW_ENOENT if it does not exist,
 * PW_EEXIST... never: a non-directory gives PW_ENOTSUP. */
int pw_dir_check(const char *path);
/* Create `path` and any missing parents (like mkdir -p). */
int pw_dir_create_all(const char *path);
/* Path separator to use when joining. */
char pw_path_sep(void);

/* ---- TCP client sockets ----
 * What network destinations need, on BSD sockets and Winsock alike. Every
 * blocking call is bounded by the time-out it is given and can be woken by
 * pw_socket_abort from another thread; a send and a recv may run at the same
 * time on two threads. Sockets are not inherited by child processes, have
 * TCP keepalive on, and never raise SIGPIPE. Errors are pw_err codes (with
 * the OS error recorded, see "OS error text"). TCP_NODELAY is set: callers
 * gather their own sends. PW_ENOHOST (name not found),
 * PW_ECONNREFUSED, PW_EHOSTUNREACH, PW_ENETUNREACH, PW_ECONNRESET (peer
 * reset or closed while we send), PW_ETIMEDOUT, PW_ECANCELED (aborted). */
typedef struct pw_addr_list pw_addr_list;
typedef struct pw_socket pw_socket;

/* Resolve a host name, an IPv4 literal or an IPv6 literal (without [])
 * for TCP `port` (1..65535). Addresses come in the resolver's order. */
int pw_net_resolve(const char *host, int port, pw_addr_list **out);
size_t pw_addr_count(const pw_addr_list *l);
/* "127.0.0.1:9100" or "[::1]:9100" into buf (always NUL-terminated). */
void pw_addr_format(const pw_addr_list *l, size_t i, char *buf, size_t cap);
void pw_addr_list_free(pw_addr_list *l); /* NULL is a no-op */

/* A socket for address i, not yet connected (abortable from now on). */
int pw_socket_open(const pw_addr_list *l, size_t i, pw_socket **out);
/* Connect within timeout_ms. */
int pw_socket_connect(pw_socket *s, uint32_t timeout_ms);
/* Send all of buf, each wait for buffer space bounded by timeout_ms (a
 * peer that takes nothing for that long is stalled: PW_ETIMEDOUT). *sent
 * (may be NULL) is what the OS accepted, also on failure. */
int pw_socket_send(pw_socket *s, const void *buf, size_t len,
                   uint32_t timeout_ms, size_t *sent);
/* Receive what is there (at most len bytes), waiting up to timeout_ms for
 * the first byte: PW_OK with *got > 0, PW_OK with *got == 0 at end of
 * stream, PW_ETIMEDOUT if nothing came. */
int pw_socket_recv(pw_socket *s, void *buf, size_t len, uint32_t timeout_ms,
                   size_t *got);
/* Half-close: no more sends; the peer sees end of stream. */
int pw_socket_shutdown_send(pw_socket *s);
/* Any thread, any time until pw_socket_close, idempotent, never blocks:
 * every blocked and later call on s returns PW_ECANCELED soon. */
void pw_socket_abort(pw_socket *s);
/* Close and free (NULL is a no-op); no call may still be using s. */
void pw_socket_close(pw_socket *s);

/* ---- TLS client over a connected pw_socket ----
 * The platform's own TLS: OpenSSL on POSIX, Schannel (SSPI) on Windows; no
 * crypto of portway's. TLS 1.2 or later. The record layer runs over the
 * pw_socket's send/recv, so pw_socket_abort on that socket makes every
 * blocked TLS call return PW_ECANCELED, and each call is bounded by the
 * time-out it is given like the socket calls. One thread at a time per
 * pw_tls (TLS state is not split between a reader and a writer).
 *
 * Verification is on unless the options turn it off:
 *   pin_sha256 == NULL, insecure == 0: the certificate chain must lead to a
 *     root the system trusts (OpenSSL's default paths, which honour
 *     SSL_CERT_FILE / SSL_CERT_DIR; the Windows certificate store) and the
 *     certificate must name server_name (DNS name or IP address);
 *   pin_sha256 != NULL: the server's (leaf) certificate must have exactly
 *     this SHA-256 fingerprint (of its DER encoding); chain and name are not
 *     checked: this is how a self-signed printer is trusted;
 *   insecure != 0: nothing is checked (the connection is encrypted but the
 *     peer could be anyone). */
#define PW_TLS_SHA256_LEN 32u
typedef struct pw_tls pw_tls;
typedef struct pw_tls_options {
  const char *server_name;   /* SNI and the name checked; required */
  const uint8_t *pin_sha256; /* PW_TLS_SHA256_LEN octets, or NULL */
  int insecure;
} pw_tls_options;

/* Handshake over s (connected) within timeout_ms. PW_OK with *out, or
 * PW_ECERT (certificate refused: errbuf says why - "certificate of
 * localhost not trusted: unable to get local issuer certificate" (OpenSSL),
 * "certificate not trusted: self-signed or from an unknown root
 * (CERT_E_UNTRUSTEDROOT 0x800B0109)" (Schannel), "certificate fingerprint
 * AB:CD:... does not match the pinned one"), PW_ETLS (handshake failed:
 * protocol, TLS below 1.2, no common cipher, peer not TLS), PW_ETIMEDOUT,
 * PW_ECANCELED, PW_ECONNRESET (also a peer that closes during the
 * handshake on OpenSSL; Schannel reports that as PW_ETLS),
 * PW_ENOMEM. errbuf (may be NULL) gets a one-line cause on failure. s stays
 * the caller's: free the pw_tls before closing s. */
int pw_tls_connect(pw_socket *s, const pw_tls_options *o, uint32_t timeout_ms,
                   pw_tls **out, char *errbuf, size_t errlen);
/* As pw_socket_send / pw_socket_recv, through TLS. A send that timed out
 * is continued by sending from buf + *sent (the record it started is
 * finished first); sends after close_notify give PW_ESTATE. recv: PW_OK with
 * *got == 0 when the peer closed (close_notify or a TCP close after a
 * complete record; printers often skip close_notify), PW_ECONNRESET for a
 * close inside a record. */
int pw_tls_send(pw_tls *t, const void *buf, size_t len, uint32_t timeout_ms,
                size_t *sent);
int pw_tls_recv(pw_tls *t, void *buf, size_t len, uint32_t timeout_ms,
                size_t *got);
/* The SHA-256 fingerprint of the server's certificate (valid after a
 * successful pw_tls_connect). */
void pw_tls_peer_sha256(const pw_tls *t, uint8_t out[PW_TLS_SHA256_LEN]);
/* "TLSv1.3", "TLSv1.2" (both platforms), "TLS" when the platform does not
 * say; for the log; never NULL. */
const char *pw_tls_version(const pw_tls *t);
/* Send close_notify (best effort, bounded by timeout_ms; Wine's Schannel
 * cannot, so it may send nothing) - not needed before pw_tls_free. */
void pw_tls_close_notify(pw_tls *t, uint32_t timeout_ms);
/* Free (NULL is a no-op); does not close the socket. */
void pw_tls_free(pw_tls *t);

/* ---- child processes (program ports) ----
 * A program started with its stdin a pipe we write to, its stdout and
 * stderr pipes that the platform drains on its own thread (so a child that
 * floods them never blocks on a full pipe while we wait to write its
 * stdin): stdout is discarded, stderr's last PW_PROCESS_STDERR_KEEP bytes
 * are kept for the log. No shell: the program path and argv are given as
 * they are (win32 quotes each argv element for CreateProcessW by the rules
 * CommandLineToArgvW undoes; POSIX passes the array). Only the three pipe
 * ends are inherited (PROC_THREAD_ATTRIBUTE_HANDLE_LIST / O_CLOEXEC on
 * everything else). The child and everything it starts form one group
 * (a job object / a process group) that pw_process_kill ends whole. Every
 * call is bounded by its time-out; pw_process_kill may come from any
 * thread, at any time until pw_process_free, and makes blocked calls
 * return PW_ECANCELED. */
#define PW_PROCESS_STDERR_KEEP 4096u
typedef struct pw_process pw_process;
typedef struct pw_user pw_user; /* below: "the job's user" */
typedef struct pw_spawn {
  const char *path;        /* absolute program path, UTF-8; required */
  const char *const *argv; /* NULL-terminated; argv[0] is the program's
                              name for itself (win32: without '"', which
                              Windows cannot pass there); required */
  const char *const *env;  /* "NAME=VALUE", NULL-terminated: the child's
                              whole environment; NULL: inherit ours */
  const char *cwd;         /* NULL: inherit ours */
  /* NULL: stdout is drained and discarded. Else an existing file that the
   * child's stdout is written to from its start (opened for writing, not
   * created, never following a symbolic link at the end on POSIX). */
  const char *stdout_path;
  /* NULL: the child runs as this process. Else as that user
   * (pw_user_from_caller), in the user's session, on its desktop. */
  const pw_user *user;
} pw_spawn;

/* Start the program. PW_ENOENT (no such program, or no such cwd),
 * PW_EACCES (not executable), PW_EINVAL (a relative path, bad argv or
 * env, not a program), PW_ENOMEM; the OS error is recorded. */
int pw_process_spawn(const pw_spawn *sp, pw_process **out);
/* Write all of buf to the child's stdin, each wait for pipe space bounded
 * by timeout_ms (PW_ETIMEDOUT). *written (may be NULL): what the pipe took,
 * also on failure. PW_EPIPE-like failures - the child exited or closed its
 * stdin - are PW_ECONNRESET. */
int pw_process_write(pw_process *p, const void *buf, size_t len,
                     uint32_t timeout_ms, size_t *written);
/* Close the child's stdin (it sees end of file). Idempotent; not while a
 * pw_process_write on the same process runs. Later writes: PW_ESTATE. */
void pw_process_close_stdin(pw_process *p);
/* Wait up to timeout_ms for the child to exit: PW_OK with *exit_code
 * (POSIX: a child killed by signal N gives 128 + N), PW_ETIMEDOUT; after
 * pw_process_kill, PW_ECANCELED once the child is gone (even if it had
 * exited before the kill). */
int pw_process_wait(pw_process *p, uint32_t timeout_ms, int *exit_code);
/* End the child and its whole group at once (SIGKILL / TerminateJobObject).
 * Any thread; idempotent; never blocks. */
void pw_process_kill(pw_process *p);
/* The child's stderr so far, its last PW_PROCESS_STDERR_KEEP bytes at most,
 * into buf (always NUL-terminated; cut to cap - 1). Returns the length. */
size_t pw_process_stderr_tail(pw_process *p, char *buf, size_t cap);
/* Kill the child if it still runs, reap it, join the drain thread, close
 * everything, free (NULL is a no-op). No zombie, thread or handle is left. */
void pw_process_free(pw_process *p);

/* ---- the job's user (program ports' runas=user) ----
 * Windows' spooler impersonates the user who submitted a job while it calls
 * StartDocPort. pw_user_from_caller captures that identity from the calling
 * thread's token as a primary token, with its session id, for pw_spawn's
 * `user`. It never falls back to the process's own identity: a thread that
 * impersonates no one gives PW_EACCES (ERROR_NO_TOKEN recorded as the OS
 * error). POSIX has no such thing: PW_ENOTSUP. */
int pw_user_from_caller(pw_user **out);
/* Only the session of the user the calling thread impersonates, for
 * REDMON_SESSIONID on every job: cheap (no token duplicated, no account
 * name looked up) and silent (no OS error recorded). PW_OK with *session,
 * PW_EACCES (the thread impersonates no one), PW_ENOTSUP (POSIX). */
int pw_caller_session(unsigned long *session);
/* The session the user's token belongs to (REDMON_SESSIONID). */
unsigned long pw_user_session(const pw_user *u);
/* "DOMAIN\name" of the user, for log lines ("?" if it cannot be had). */
const char *pw_user_name(const pw_user *u);
/* The environment the user's programs get without its profile loaded
 * (CreateEnvironmentBlock for the token, not inheriting ours), as for
 * pw_env_current. NULL when it cannot be built (the OS error recorded). */
char **pw_user_env(const pw_user *u);
void pw_user_free(pw_user *u); /* NULL is a no-op */

/* ---- this process's environment ----
 * A copy of our environment as "NAME=VALUE" UTF-8 strings, NULL-terminated
 * (a program port's child gets it plus its own variables). NULL when out of
 * memory. Free with pw_env_free. */
char **pw_env_current(void);
void pw_env_free(char **env); /* NULL is a no-op */

/* ---- time, randomness, identity ---- */
typedef struct pw_localtime {
  int year, month, day, hour, minute, second, millisecond;
} pw_localtime;
void pw_time_local(pw_localtime *out);
uint64_t pw_time_monotonic_ns(void);
/* Cryptographically strong random bytes (getrandom / BCryptGenRandom). */
int pw_random_bytes(void *buf, size_t len);
/* Process id, for log lines. */
unsigned long pw_process_id(void);

/* ---- OS error text ----
 * Every platform call that fails because the OS said so records, for the
 * calling thread, the raw OS error it mapped to a pw_err (errno, a Win32
 * error code or a Winsock code), so a log line can name the OS's reason
 * beside portway's. A failure the platform decided itself (bad argument,
 * out of memory) records nothing and leaves an older record in place: check
 * `err` against the code the failing call returned (pw_errbuf_os does). */
typedef enum pw_os_domain {
  PW_OSERR_NONE = 0, /* nothing recorded */
  PW_OSERR_ERRNO = 1,
  PW_OSERR_WIN32 = 2, /* GetLastError() or a returned LSTATUS */
  PW_OSERR_WSA = 3    /* WSAGetLastError() */
} pw_os_domain;
typedef struct pw_os_error {
  int domain; /* pw_os_domain */
  long code;  /* the OS's number */
  int err;    /* the pw_err the platform mapped it to */
} pw_os_error;
/* pw_os_error_text never gives more than this, NUL included. */
#define PW_OS_ERROR_TEXT_MAX 256
/* The calling thread's last recorded OS error ({PW_OSERR_NONE} if none). */
pw_os_error pw_os_last_error(void);
void pw_os_error_clear(void);
/* "errno 28: No space left on device", "Win32 error 112: There is not enough
 * space on the disk", "WSA error 10061: ..."; no trailing period or newline;
 * "no OS error" for PW_OSERR_NONE. Cut to len - 1 bytes at a UTF-8
 * character boundary; nothing is written when buf is NULL or len 0. */
void pw_os_error_text(pw_os_error e, char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
