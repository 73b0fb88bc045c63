/* portway — internal to the POSIX TLS client (tls.c): who the server is.
 * Trust store, names and pins on the OpenSSL side (tls_verify.c), apart
 * from the transport and the record I/O in tls.c. */
#ifndef PORTWAY_POSIX_TLS_VERIFY_H
#define PORTWAY_POSIX_TLS_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "platform/platform.h"
#include "portway/error.h"

/* printf into errbuf (NULL or errlen 0: nothing). */
void pw_posix_tls_say(char *errbuf, size_t errlen, const char *fmt, ...)
    PW_PRINTF(3, 4);
/* A failure TLS decided itself (no OS cause): records "no OS error" for
 * err, so an older record cannot be taken for its cause; returns err. */
int pw_posix_tls_failed(int err);

/* Before the handshake: SNI (host names only) and, unless o pins or is
 * insecure, the system's trust store and the name (or IP address) the
 * certificate must carry. PW_OK, PW_EINVAL (a name OpenSSL refuses). */
int pw_posix_tls_verify_setup(SSL *ssl, const pw_tls_options *o);
/* After a failed handshake: PW_ECERT, with the cause in errbuf, when it
 * was the certificate OpenSSL refused; PW_OK when it was something else. */
int pw_posix_tls_refused(SSL *ssl, const pw_tls_options *o, char *errbuf,
                         size_t errlen);
/* After a handshake: the SHA-256 of the leaf certificate's DER into sha,
 * and the pin checked (constant time). PW_OK, PW_ECERT (pin mismatch),
 * PW_ETLS (no certificate); errbuf says why. */
int pw_posix_tls_check_peer(SSL *ssl, const pw_tls_options *o,
                            uint8_t sha[PW_TLS_SHA256_LEN], char *errbuf,
                            size_t errlen);

#endif
