/* portway — the Schannel TLS client's certificate decisions (platform.h,
 * "TLS client over a connected pw_socket"): the credentials ask Schannel
 * for SCH_CRED_MANUAL_CRED_VALIDATION, so after the handshake portway
 * decides here, by the options: a pin compares the leaf's SHA-256
 * (BCrypt) and nothing else, insecure checks nothing, and by default the
 * chain must pass CERT_CHAIN_POLICY_SSL for server_name (Windows' own
 * chain engine and certificate store; for an IP literal the address must be
 * among the certificate's subjectAltName IP addresses). No crypto here but
 * the system's. */
#include <winsock2.h>
#include <ws2tcpip.h>

#include "platform/win32/tls_internal.h"

#include <bcrypt.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/oserror_common.h"
#include "portway/error.h"
#include "portway/utf.h"

#ifndef SECURITY_FLAG_IGNORE_CERT_CN_INVALID /* wininet.h / winhttp.h */
#define SECURITY_FLAG_IGNORE_CERT_CN_INVALID 0x00001000
#endif

/* ---- names of status codes, for messages ---- */

#define PW_TLS_NAME(code)                                                      \
  { (long)(code), #code }
static const struct {
  long code;
  const char *name;
} status_names[] = {
    PW_TLS_NAME(SEC_E_ILLEGAL_MESSAGE),
    PW_TLS_NAME(SEC_E_INTERNAL_ERROR),
    PW_TLS_NAME(SEC_E_INVALID_TOKEN),
    PW_TLS_NAME(SEC_E_INVALID_HANDLE),
    PW_TLS_NAME(SEC_E_INCOMPLETE_MESSAGE),
    PW_TLS_NAME(SEC_E_ALGORITHM_MISMATCH),
    PW_TLS_NAME(SEC_E_UNSUPPORTED_FUNCTION),
    PW_TLS_NAME(SEC_E_MESSAGE_ALTERED),
    PW_TLS_NAME(SEC_E_DECRYPT_FAILURE),
    PW_TLS_NAME(SEC_E_ENCRYPT_FAILURE),
    PW_TLS_NAME(SEC_E_CONTEXT_EXPIRED),
    PW_TLS_NAME(SEC_E_INSUFFICIENT_MEMORY),
    PW_TLS_NAME(SEC_E_UNKNOWN_CREDENTIALS),
    PW_TLS_NAME(SEC_E_NO_CREDENTIALS),
    PW_TLS_NAME(SEC_E_NO_AUTHENTICATING_AUTHORITY),
    PW_TLS_NAME(SEC_E_TARGET_UNKNOWN),
    PW_TLS_NAME(SEC_E_WRONG_PRINCIPAL),
    PW_TLS_NAME(SEC_E_UNTRUSTED_ROOT),
    PW_TLS_NAME(SEC_E_CERT_EXPIRED),
    PW_TLS_NAME(SEC_E_CERT_UNKNOWN),
    PW_TLS_NAME(SEC_E_CERT_WRONG_USAGE),
    PW_TLS_NAME(SEC_E_BUFFER_TOO_SMALL),
    PW_TLS_NAME(SEC_E_OUT_OF_SEQUENCE),
    PW_TLS_NAME(SEC_E_UNSUPPORTED_PREAUTH),
    PW_TLS_NAME(SEC_E_SECPKG_NOT_FOUND),
    PW_TLS_NAME(SEC_E_INVALID_PARAMETER),
    PW_TLS_NAME(SEC_I_CONTINUE_NEEDED),
    PW_TLS_NAME(SEC_I_CONTEXT_EXPIRED),
    PW_TLS_NAME(SEC_I_RENEGOTIATE),
    PW_TLS_NAME(SEC_I_INCOMPLETE_CREDENTIALS),
    PW_TLS_NAME(CERT_E_UNTRUSTEDROOT),
    PW_TLS_NAME(CERT_E_CHAINING),
    PW_TLS_NAME(CERT_E_CN_NO_MATCH),
    PW_TLS_NAME(CERT_E_EXPIRED),
    PW_TLS_NAME(CERT_E_VALIDITYPERIODNESTING),
    PW_TLS_NAME(CERT_E_WRONG_USAGE),
    PW_TLS_NAME(CERT_E_REVOKED),
    PW_TLS_NAME(CERT_E_UNTRUSTEDTESTROOT),
    PW_TLS_NAME(CERT_E_INVALID_NAME),
    PW_TLS_NAME(CERT_E_CRITICAL),
    PW_TLS_NAME(CERT_E_PURPOSE),
    PW_TLS_NAME(CRYPT_E_REVOKED),
    PW_TLS_NAME(CRYPT_E_NO_REVOCATION_CHECK),
    PW_TLS_NAME(CRYPT_E_REVOCATION_OFFLINE),
    PW_TLS_NAME(TRUST_E_CERT_SIGNATURE),
    PW_TLS_NAME(TRUST_E_BASIC_CONSTRAINTS),
    PW_TLS_NAME(TRUST_E_FAIL),
};

const char *pw_tls_status_name(long status) {
  for (size_t i = 0; i < sizeof status_names / sizeof status_names[0]; i++) {
    if (status_names[i].code == status)
      return status_names[i].name;
  }
  return NULL;
}

void pw_tls_status_msg(char *errbuf, size_t errlen, const char *what,
                       long status) {
  if (!errbuf || errlen == 0)
    return;
  const char *name = pw_tls_status_name(status);
  unsigned long hex = (unsigned long)(uint32_t)status;
  if (name)
    snprintf(errbuf, errlen, "%s (%s 0x%08lX)", what, name, hex);
  else
    snprintf(errbuf, errlen, "%s (0x%08lX)", what, hex);
}

/* A failed SSPI call: pw_err for it, OS error recorded, errbuf told. */
int pw_tls_sspi_fail(SECURITY_STATUS st, const char *what, char *errbuf,
                     size_t errlen) {
  int err;
  switch (st) {
  case SEC_E_UNTRUSTED_ROOT:
  case SEC_E_CERT_EXPIRED:
  case SEC_E_CERT_UNKNOWN:
  case SEC_E_CERT_WRONG_USAGE:
  case SEC_E_WRONG_PRINCIPAL:
  case CERT_E_UNTRUSTEDROOT:
  case CERT_E_CHAINING:
  case CERT_E_CN_NO_MATCH:
  case CERT_E_EXPIRED:
    err = PW_ECERT;
    break;
  case SEC_E_INSUFFICIENT_MEMORY:
    err = PW_ENOMEM;
    break;
  default:
    err = PW_ETLS;
  }
  pw_os_record(PW_OSERR_WIN32, (long)st, err);
  pw_tls_status_msg(errbuf, errlen, what, (long)st);
  return err;
}

/* ---- IP literals ---- */

/* The address of an IPv4 / IPv6 literal (brackets and a %zone allowed)
 * in addr (4 or 16 octets): 1, or 0 when name is no literal. */
static int parse_ip(const char *name, unsigned char addr[16], size_t *alen) {
  char tmp[64];
  size_t n = strlen(name);
  if (n == 0 || n >= sizeof tmp)
    return 0;
  if (name[0] == '[' && name[n - 1] == ']') {
    name++;
    n -= 2;
  }
  memcpy(tmp, name, n);
  tmp[n] = '\0';
  char *zone = strchr(tmp, '%');
  if (zone)
    *zone = '\0';
  if (!zone && inet_pton(AF_INET, tmp, addr) == 1) {
    *alen = 4;
    return 1;
  }
  if (inet_pton(AF_INET6, tmp, addr) == 1) {
    *alen = 16;
    return 1;
  }
  return 0;
}

int pw_tls_is_ip_literal(const char *name) {
  unsigned char addr[16];
  size_t alen;
  /* No host name holds a ':': anything with one is an address. */
  return name && (parse_ip(name, addr, &alen) || strchr(name, ':') != NULL);
}

/* 1 if the certificate's subjectAltName lists the address. */
static int cert_names_ip(PCCERT_CONTEXT cert, const unsigned char *addr,
                         size_t alen) {
  PCERT_EXTENSION ext =
      CertFindExtension(szOID_SUBJECT_ALT_NAME2, cert->pCertInfo->cExtension,
                        cert->pCertInfo->rgExtension);
  if (!ext)
    return 0;
  CERT_ALT_NAME_INFO *info = NULL;
  DWORD size = 0;
  if (!CryptDecodeObjectEx(X509_ASN_ENCODING, X509_ALTERNATE_NAME,
                           ext->Value.pbData, ext->Value.cbData,
                           CRYPT_DECODE_ALLOC_FLAG, NULL, &info, &size))
    return 0;
  int found = 0;
  for (DWORD i = 0; i < info->cAltEntry && !found; i++) {
    const CERT_ALT_NAME_ENTRY *e = &info->rgAltEntry[i];
    found = e->dwAltNameChoice == CERT_ALT_NAME_IP_ADDRESS &&
            e->IPAddress.cbData == alen &&
            memcmp(e->IPAddress.pbData, addr, alen) == 0;
  }
  LocalFree(info);
  return found;
}

/* ---- SHA-256 fingerprint ---- */

static int sha256(const BYTE *data, DWORD len, uint8_t out[PW_TLS_SHA256_LEN],
                  char *errbuf, size_t errlen) {
  BCRYPT_ALG_HANDLE alg = NULL;
  BCRYPT_HASH_HANDLE h = NULL;
  NTSTATUS st =
      BCryptOpenAlgorithmProvider(&alg, BCRYPT_SHA256_ALGORITHM, NULL, 0);
  /* A NULL hash object lets BCrypt allocate it (Windows 7 and later). */
  if (BCRYPT_SUCCESS(st))
    st = BCryptCreateHash(alg, &h, NULL, 0, NULL, 0, 0);
  if (BCRYPT_SUCCESS(st))
    st = BCryptHashData(h, (PUCHAR)(uintptr_t)data, len, 0);
  if (BCRYPT_SUCCESS(st))
    st = BCryptFinishHash(h, out, PW_TLS_SHA256_LEN, 0);
  if (h)
    BCryptDestroyHash(h);
  if (alg)
    BCryptCloseAlgorithmProvider(alg, 0);
  if (BCRYPT_SUCCESS(st))
    return PW_OK;
  if (errbuf && errlen)
    snprintf(errbuf, errlen, "SHA-256 of the certificate failed (0x%08lX)",
             (unsigned long)(uint32_t)st);
  return PW_ETLS;
}

static void format_fp(const uint8_t fp[PW_TLS_SHA256_LEN],
                      char out[PW_TLS_SHA256_LEN * 3]) {
  static const char hex[] = "0123456789ABCDEF";
  for (size_t i = 0; i < PW_TLS_SHA256_LEN; i++) {
    out[i * 3] = hex[fp[i] >> 4];
    out[i * 3 + 1] = hex[fp[i] & 15u];
    out[i * 3 + 2] = i + 1 < PW_TLS_SHA256_LEN ? ':' : '\0';
  }
}

/* ---- the chain policy ---- */

static const char *policy_cause(long code) {
  if (code == (long)CERT_E_UNTRUSTEDROOT)
    return "certificate not trusted: self-signed or from an unknown root";
  if (code == (long)CERT_E_CHAINING)
    return "certificate not trusted: no chain to a trusted root";
  if (code == (long)CERT_E_CN_NO_MATCH)
    return "certificate does not name the server";
  if (code == (long)CERT_E_EXPIRED)
    return "certificate expired or not yet valid";
  if (code == (long)CERT_E_WRONG_USAGE || code == (long)CERT_E_PURPOSE)
    return "certificate not valid for a TLS server";
  if (code == (long)CERT_E_REVOKED || code == (long)CRYPT_E_REVOKED)
    return "certificate revoked";
  if (code == (long)TRUST_E_CERT_SIGNATURE)
    return "certificate signature not valid";
  return "certificate not trusted";
}

/* Refuse with the OS's code recorded and a message naming it. */
static int refuse(long code, const char *cause, char *errbuf, size_t errlen) {
  pw_os_record(PW_OSERR_WIN32, code, PW_ECERT);
  pw_tls_status_msg(errbuf, errlen, cause, code);
  return PW_ECERT;
}

/* The chain engine's own verdict, read before the SSL policy's: Wine 8.0's
 * CERT_CHAIN_POLICY_SSL answers success for a chain that ends at an
 * unknown issuer (a printer certificate signed by a private CA, the CA not
 * sent), so a partial chain is refused here. No revocation check is asked
 * for, so its "unknown" bits are not errors. 0 if the chain is good. */
static long chain_status_error(PCCERT_CHAIN_CONTEXT chain) {
  DWORD status = chain->TrustStatus.dwErrorStatus &
                 ~(DWORD)(CERT_TRUST_REVOCATION_STATUS_UNKNOWN |
                          CERT_TRUST_IS_OFFLINE_REVOCATION);
  if (status == 0)
    return 0;
  if (status & CERT_TRUST_IS_PARTIAL_CHAIN)
    return (long)CERT_E_CHAINING;
  if (status & CERT_TRUST_IS_UNTRUSTED_ROOT)
    return (long)CERT_E_UNTRUSTEDROOT;
  if (status & CERT_TRUST_IS_NOT_TIME_VALID)
    return (long)CERT_E_EXPIRED;
  if (status & CERT_TRUST_IS_NOT_SIGNATURE_VALID)
    return (long)TRUST_E_CERT_SIGNATURE;
  if (status & CERT_TRUST_IS_REVOKED)
    return (long)CERT_E_REVOKED;
  if (status & CERT_TRUST_IS_NOT_VALID_FOR_USAGE)
    return (long)CERT_E_WRONG_USAGE;
  return (long)TRUST_E_FAIL;
}

static int check_chain(PCCERT_CONTEXT cert, const char *server_name,
                       char *errbuf, size_t errlen) {
  unsigned char addr[16];
  size_t alen = 0;
  int is_ip = parse_ip(server_name, addr, &alen);
  uint16_t *wname = NULL;
  size_t wlen = 0;
  int err = pw_utf8_to_utf16(server_name, &wname, &wlen);
  if (err != PW_OK) {
    if (errbuf && errlen)
      snprintf(errbuf, errlen, "server name is not valid UTF-8");
    return err == PW_ENOMEM ? err : PW_ECERT;
  }
  LPSTR usages[] = {(LPSTR)szOID_PKIX_KP_SERVER_AUTH,
                    (LPSTR)szOID_SERVER_GATED_CRYPTO,
                    (LPSTR)szOID_SGC_NETSCAPE};
  CERT_CHAIN_PARA para;
  memset(&para, 0, sizeof para);
  para.cbSize = sizeof para;
  para.RequestedUsage.dwType = USAGE_MATCH_TYPE_OR;
  para.RequestedUsage.Usage.cUsageIdentifier = 3;
  para.RequestedUsage.Usage.rgpszUsageIdentifier = usages;
  PCCERT_CHAIN_CONTEXT chain = NULL;
  /* The certificate's own store holds the intermediates the server sent;
   * no revocation check (a printer's CA rarely runs a reachable CRL). */
  if (!CertGetCertificateChain(NULL, cert, NULL, cert->hCertStore, &para, 0,
                               NULL, &chain)) {
    DWORD e = GetLastError();
    free(wname);
    return refuse((long)e, "certificate chain could not be built", errbuf,
                  errlen);
  }
  long bad = chain_status_error(chain);
  if (bad != 0) {
    CertFreeCertificateChain(chain);
    free(wname);
    return refuse(bad, policy_cause(bad), errbuf, errlen);
  }
  HTTPSPolicyCallbackData https;
  memset(&https, 0, sizeof https);
  https.cbStruct = sizeof https;
  https.dwAuthType = AUTHTYPE_SERVER;
  /* An address is matched below against the IP entries, not as a name. */
  https.fdwChecks = is_ip ? SECURITY_FLAG_IGNORE_CERT_CN_INVALID : 0;
  https.pwszServerName = (WCHAR *)(void *)wname;
  CERT_CHAIN_POLICY_PARA pp;
  memset(&pp, 0, sizeof pp);
  pp.cbSize = sizeof pp;
  pp.pvExtraPolicyPara = &https;
  CERT_CHAIN_POLICY_STATUS ps;
  memset(&ps, 0, sizeof ps);
  ps.cbSize = sizeof ps;
  BOOL ok =
      CertVerifyCertificateChainPolicy(CERT_CHAIN_POLICY_SSL, chain, &pp, &ps);
  DWORD e = ok ? ps.dwError : GetLastError();
  CertFreeCertificateChain(chain);
  free(wname);
  if (!ok)
    return refuse((long)e, "certificate chain policy check failed", errbuf,
                  errlen);
  if (e != 0)
    return refuse((long)e, policy_cause((long)e), errbuf, errlen);
  if (is_ip && !cert_names_ip(cert, addr, alen))
    return refuse((long)CERT_E_CN_NO_MATCH,
                  "certificate does not name the server's address", errbuf,
                  errlen);
  return PW_OK;
}

int pw_tls_check_peer(CtxtHandle *ctx, const pw_tls_options *o,
                      uint8_t fp[PW_TLS_SHA256_LEN], char *errbuf,
                      size_t errlen) {
  PCCERT_CONTEXT cert = NULL;
  SECURITY_STATUS st =
      QueryContextAttributesW(ctx, SECPKG_ATTR_REMOTE_CERT_CONTEXT, &cert);
  if (st != SEC_E_OK || !cert) {
    pw_os_record(PW_OSERR_WIN32, (long)st, PW_ETLS);
    pw_tls_status_msg(errbuf, errlen, "server sent no certificate", (long)st);
    return PW_ETLS;
  }
  int err =
      sha256(cert->pbCertEncoded, cert->cbCertEncoded, fp, errbuf, errlen);
  if (err == PW_OK && o->pin_sha256) {
    if (memcmp(fp, o->pin_sha256, PW_TLS_SHA256_LEN) != 0) {
      char text[PW_TLS_SHA256_LEN * 3];
      format_fp(fp, text);
      if (errbuf && errlen)
        snprintf(errbuf, errlen,
                 "certificate fingerprint %s does not match the pinned one",
                 text);
      err = PW_ECERT;
    }
  } else if (err == PW_OK && !o->insecure) {
    err = check_chain(cert, o->server_name, errbuf, errlen);
  }
  CertFreeCertificateContext(cert);
  return err;
}
