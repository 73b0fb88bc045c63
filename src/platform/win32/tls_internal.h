/* portway — shared by the Schannel TLS client's two files (tls.c: the
 * SSPI handshake and record layer; tls_verify.c: what portway checks of
 * the server's certificate, and status names for messages). Not part of
 * the platform interface. */
#ifndef PORTWAY_WIN32_TLS_INTERNAL_H
#define PORTWAY_WIN32_TLS_INTERNAL_H

#include "platform/win32/win32_internal.h"

#include <wincrypt.h>
/* SCH_CREDENTIALS and TLS_PARAMETERS (Windows 10 1809 and later) are
 * behind SCHANNEL_USE_BLACKLISTS and need UNICODE_STRING. */
#include <subauth.h>
#define SCHANNEL_USE_BLACKLISTS
#define SECURITY_WIN32
#include <schannel.h>
#include <security.h>

#include <stddef.h>
#include <stdint.h>

#include "platform/platform.h"

/* "SEC_E_ILLEGAL_MESSAGE", "CERT_E_UNTRUSTEDROOT"... for a SECURITY_STATUS
 * or a certificate policy error; NULL for one this table does not know. */
const char *pw_tls_status_name(long status);

/* errbuf = "<what> (<NAME> 0x80090326)" (or without NAME when unknown);
 * nothing when errbuf is NULL or errlen 0. */
void pw_tls_status_msg(char *errbuf, size_t errlen, const char *what,
                       long status);

/* A failed SSPI call: its pw_err (PW_ECERT for a certificate status,
 * PW_ENOMEM, else PW_ETLS), recorded as the thread's OS error, errbuf
 * told "<what> (<NAME> 0x...)". */
int pw_tls_sspi_fail(SECURITY_STATUS st, const char *what, char *errbuf,
                     size_t errlen);

/* The checks of pw_tls_options on the server certificate of a finished
 * handshake (SCH_CRED_MANUAL_CRED_VALIDATION: Schannel checked nothing):
 * pin -> the leaf's SHA-256 only, insecure -> nothing, otherwise the chain
 * policy CERT_CHAIN_POLICY_SSL for server_name. fp gets the leaf's SHA-256
 * in every case that reaches the certificate. PW_OK, PW_ECERT (refused,
 * errbuf says why), PW_ETLS (no certificate, hashing failed), PW_ENOMEM. */
int pw_tls_check_peer(CtxtHandle *ctx, const pw_tls_options *o,
                      uint8_t fp[PW_TLS_SHA256_LEN], char *errbuf,
                      size_t errlen);

/* 1 if name is an IPv4 or IPv6 literal (IPv6 may be in brackets): no SNI,
 * and the name check is against the certificate's IP addresses. */
int pw_tls_is_ip_literal(const char *name);

#endif
