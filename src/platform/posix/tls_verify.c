/* portway — the POSIX TLS client's certificate checks (tls_verify.h):
 * OpenSSL's chain and name verification, or a SHA-256 pin, or nothing
 * (platform.h, "TLS client over a connected pw_socket"). */
#define _POSIX_C_SOURCE 200809L

#include "platform/posix/tls_verify.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "platform/oserror_common.h"

/* "AB:CD:..." of a SHA-256: 32 * 3 characters, the last ':' is the NUL. */
#define TLS_FP_TEXT (PW_TLS_SHA256_LEN * 3u)

void pw_posix_tls_say(char *errbuf, size_t errlen, const char *fmt, ...) {
  if (!errbuf || errlen == 0)
    return;
  va_list ap;
  va_start(ap, fmt);
  (void)vsnprintf(errbuf, errlen, fmt, ap);
  va_end(ap);
}

int pw_posix_tls_failed(int err) {
  pw_os_record(PW_OSERR_ERRNO, 0, err);
  return err;
}

static int verifies(const pw_tls_options *o) {
  return !o->pin_sha256 && !o->insecure;
}

static int is_ip_literal(const char *name) {
  unsigned char a[16];
  return inet_pton(AF_INET, name, a) == 1 || inet_pton(AF_INET6, name, a) == 1;
}

int pw_posix_tls_verify_setup(SSL *ssl, const pw_tls_options *o) {
  const char *name = o->server_name;
  int ip = is_ip_literal(name);
  /* SNI carries host names only (RFC 6066, section 3). */
  if (!ip && SSL_set_tlsext_host_name(ssl, name) != 1)
    return PW_EINVAL;
  if (!verifies(o)) {
    /* Pin and insecure: OpenSSL's verdict on the chain is not asked for;
     * the pin is checked on the leaf after the handshake, before any
     * application data is sent. */
    SSL_set_verify(ssl, SSL_VERIFY_NONE, NULL);
    return PW_OK;
  }
  /* OpenSSL's default paths honour SSL_CERT_FILE and SSL_CERT_DIR. A
   * store that cannot be read leaves it empty: every chain then fails with
   * "unable to get local issuer certificate". */
  if (SSL_CTX_set_default_verify_paths(SSL_get_SSL_CTX(ssl)) != 1)
    ERR_clear_error();
  SSL_set_verify(ssl, SSL_VERIFY_PEER, NULL);
  X509_VERIFY_PARAM *p = SSL_get0_param(ssl);
  X509_VERIFY_PARAM_set_hostflags(p, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  int ok = ip ? X509_VERIFY_PARAM_set1_ip_asc(p, name)
              : X509_VERIFY_PARAM_set1_host(p, name, 0);
  return ok == 1 ? PW_OK : PW_EINVAL;
}

int pw_posix_tls_refused(SSL *ssl, const pw_tls_options *o, char *errbuf,
                         size_t errlen) {
  long vr = SSL_get_verify_result(ssl);
  if (!verifies(o) || vr == X509_V_OK)
    return PW_OK;
  const char *why = X509_verify_cert_error_string(vr);
  if (vr == X509_V_ERR_HOSTNAME_MISMATCH ||
      vr == X509_V_ERR_IP_ADDRESS_MISMATCH)
    pw_posix_tls_say(errbuf, errlen,
                     "certificate not trusted: %s (it does not name %.100s)",
                     why, o->server_name);
  else
    pw_posix_tls_say(errbuf, errlen, "certificate of %.100s not trusted: %s",
                     o->server_name, why);
  return pw_posix_tls_failed(PW_ECERT);
}

static void format_fp(const uint8_t *d, char out[TLS_FP_TEXT]) {
  static const char hex[] = "0123456789ABCDEF";
  for (size_t i = 0; i < PW_TLS_SHA256_LEN; i++) {
    out[3 * i] = hex[d[i] >> 4];
    out[3 * i + 1] = hex[d[i] & 15u];
    out[3 * i + 2] = i + 1 < PW_TLS_SHA256_LEN ? ':' : '\0';
  }
}

int pw_posix_tls_check_peer(SSL *ssl, const pw_tls_options *o,
                            uint8_t sha[PW_TLS_SHA256_LEN], char *errbuf,
                            size_t errlen) {
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
  X509 *cert = SSL_get1_peer_certificate(ssl);
#else
  X509 *cert = SSL_get_peer_certificate(ssl);
#endif
  unsigned int n = 0;
  int ok = cert && X509_digest(cert, EVP_sha256(), sha, &n) == 1 &&
           n == PW_TLS_SHA256_LEN;
  X509_free(cert);
  ERR_clear_error();
  if (!ok) {
    pw_posix_tls_say(errbuf, errlen, "%.100s sent no usable certificate",
                     o->server_name);
    return pw_posix_tls_failed(PW_ETLS);
  }
  if (o->pin_sha256 &&
      CRYPTO_memcmp(sha, o->pin_sha256, PW_TLS_SHA256_LEN) != 0) {
    char fp[TLS_FP_TEXT];
    format_fp(sha, fp);
    pw_posix_tls_say(errbuf, errlen,
                     "certificate fingerprint %s does not match the pinned one",
                     fp);
    return pw_posix_tls_failed(PW_ECERT);
  }
  /* Verification failures end the handshake; this only makes sure. */
  if (verifies(o) && SSL_get_verify_result(ssl) != X509_V_OK)
    return pw_posix_tls_refused(ssl, o, errbuf, errlen);
  return PW_OK;
}
