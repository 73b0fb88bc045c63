/* portway — internal: IPP message encoding (RFC 8010) and the few model
 * facts (RFC 8011) an IPP client needs: operation ids, status codes and
 * their classification.
 *
 * The writer builds a request into a growable buffer. The decoder reads a
 * response header (everything up to and including end-of-attributes-tag)
 * from bytes that come from the network and are treated as hostile: every
 * length is checked against the bytes present and against the limits
 * below, nothing is allocated from a claimed length, collections are
 * skipped iteratively with a depth cap. No I/O here. */
#ifndef PORTWAY_IPP_H
#define PORTWAY_IPP_H

#include <stddef.h>
#include <stdint.h>

#include "textbuf.h"

/* ---- limits of the decoder (and of the writer where they apply) -------- */
#define PW_IPP_MAX_HEADER 65536u /* bytes up to end-of-attributes-tag */
#define PW_IPP_MAX_ATTRS 4096u   /* attributes in one message */
#define PW_IPP_MAX_NAME 1023u    /* octets of one attribute name */
/* octets of one value: value-length is a SIGNED-SHORT (RFC 8010 3.1.7), so
 * 32767 is also the largest a conforming peer can send */
#define PW_IPP_MAX_VALUE 32767u
#define PW_IPP_MAX_DEPTH 16u /* nesting of collections */

#define PW_IPP_VERSION_2_0 0x0200u
#define PW_IPP_VERSION_1_1 0x0101u

/* ---- delimiter (group) tags, RFC 8010 3.5.1 ---------------------------- */
#define PW_IPP_TAG_OPERATION 0x01u
#define PW_IPP_TAG_JOB 0x02u
#define PW_IPP_TAG_END 0x03u
#define PW_IPP_TAG_PRINTER 0x04u
#define PW_IPP_TAG_UNSUPPORTED_GROUP 0x05u

/* ---- value tags, RFC 8010 3.5.2 ---------------------------------------- */
#define PW_IPP_TAG_UNSUPPORTED_VALUE 0x10u
#define PW_IPP_TAG_UNKNOWN 0x12u
#define PW_IPP_TAG_NOVALUE 0x13u
#define PW_IPP_TAG_INTEGER 0x21u
#define PW_IPP_TAG_BOOLEAN 0x22u
#define PW_IPP_TAG_ENUM 0x23u
#define PW_IPP_TAG_OCTETSTRING 0x30u
#define PW_IPP_TAG_DATETIME 0x31u
#define PW_IPP_TAG_RESOLUTION 0x32u
#define PW_IPP_TAG_RANGE 0x33u
#define PW_IPP_TAG_BEGIN_COLLECTION 0x34u
#define PW_IPP_TAG_TEXT_LANG 0x35u
#define PW_IPP_TAG_NAME_LANG 0x36u
#define PW_IPP_TAG_END_COLLECTION 0x37u
#define PW_IPP_TAG_TEXT 0x41u /* textWithoutLanguage */
#define PW_IPP_TAG_NAME 0x42u /* nameWithoutLanguage */
#define PW_IPP_TAG_KEYWORD 0x44u
#define PW_IPP_TAG_URI 0x45u
#define PW_IPP_TAG_URISCHEME 0x46u
#define PW_IPP_TAG_CHARSET 0x47u
#define PW_IPP_TAG_LANGUAGE 0x48u /* naturalLanguage */
#define PW_IPP_TAG_MIMETYPE 0x49u /* mimeMediaType */
#define PW_IPP_TAG_MEMBERNAME 0x4Au
#define PW_IPP_TAG_EXTENSION 0x7Fu

/* ---- operation ids, RFC 8011 5.4.15 ------------------------------------ */
#define PW_IPP_OP_PRINT_JOB 0x0002u
#define PW_IPP_OP_VALIDATE_JOB 0x0004u
#define PW_IPP_OP_CREATE_JOB 0x0005u
#define PW_IPP_OP_SEND_DOCUMENT 0x0006u
#define PW_IPP_OP_CANCEL_JOB 0x0008u
#define PW_IPP_OP_GET_JOB_ATTRIBUTES 0x0009u
#define PW_IPP_OP_GET_PRINTER_ATTRIBUTES 0x000Bu

/* ---- status codes, RFC 8011 B.1 (the ones named here) ------------------ */
#define PW_IPP_STATUS_OK 0x0000u
#define PW_IPP_STATUS_CLIENT_ERROR_BAD_REQUEST 0x0400u
#define PW_IPP_STATUS_CLIENT_ERROR_DOCUMENT_FORMAT_NOT_SUPPORTED 0x040Au
#define PW_IPP_STATUS_SERVER_ERROR_INTERNAL 0x0500u
#define PW_IPP_STATUS_SERVER_ERROR_SERVICE_UNAVAILABLE 0x0502u
#define PW_IPP_STATUS_SERVER_ERROR_VERSION_NOT_SUPPORTED 0x0503u
#define PW_IPP_STATUS_SERVER_ERROR_TEMPORARY 0x0505u
#define PW_IPP_STATUS_SERVER_ERROR_NOT_ACCEPTING_JOBS 0x0506u
#define PW_IPP_STATUS_SERVER_ERROR_BUSY 0x0507u

/* "successful-ok", "client-error-not-found", ...; NULL for a code RFC 8011
 * does not define. */
const char *pw_ipp_status_name(unsigned status);
/* successful-* (0x0000-0x00FF) */
int pw_ipp_status_is_success(unsigned status);
/* client-error-* (0x0400-0x04FF): the request is wrong, never retried */
int pw_ipp_status_is_client_error(unsigned status);
/* server-error-service-unavailable, -temporary-error, -busy: worth retrying
 * later with back-off. Every other error is final. */
int pw_ipp_status_is_retryable(unsigned status);

/* ---- writer ------------------------------------------------------------ */
typedef struct pw_ipp_writer {
  pw_textbuf buf; /* the encoded bytes (binary; buf.len counts them) */
  int err;        /* first error: PW_EINVAL (bad tag or too long), ENOMEM */
} pw_ipp_writer;

/* Start a message: version-number (PW_IPP_VERSION_*), operation-id (or
 * status-code for a response), request-id (RFC 8010 3.1.1: 1..2^31-1). */
void pw_ipp_begin(pw_ipp_writer *w, unsigned version, unsigned op,
                  int32_t request_id);
/* A begin-attribute-group-tag (PW_IPP_TAG_OPERATION, _JOB, _PRINTER). */
void pw_ipp_group(pw_ipp_writer *w, unsigned group_tag);
/* One value. A NULL or "" name writes an additional value of the previous
 * attribute (RFC 8010 3.1.5). */
void pw_ipp_add_string(pw_ipp_writer *w, unsigned tag, const char *name,
                       const char *value); /* tags 0x41..0x49 */
void pw_ipp_add_strings(pw_ipp_writer *w, unsigned tag, const char *name,
                        const char *const *values, size_t n); /* 1setOf */
void pw_ipp_add_integer(pw_ipp_writer *w, unsigned tag, const char *name,
                        int32_t value); /* PW_IPP_TAG_INTEGER or _ENUM */
void pw_ipp_add_boolean(pw_ipp_writer *w, const char *name, int value);
/* Any value tag (0x10..0xFF) with raw value octets, for syntaxes the
 * helpers above do not cover (a collection is begCollection, members,
 * endCollection, each one call; the writer does not check their nesting). */
void pw_ipp_add_raw(pw_ipp_writer *w, unsigned tag, const char *name,
                    const void *value, size_t len);
/* end-of-attributes-tag; the document data, if any, follows it. */
void pw_ipp_end(pw_ipp_writer *w);
/* PW_OK, or the first error; the buffer stays w's until pw_ipp_writer_free */
int pw_ipp_writer_status(const pw_ipp_writer *w);
void pw_ipp_writer_free(pw_ipp_writer *w);

/* Operation attributes of the two requests an IPP destination sends. */
typedef struct pw_ipp_request_attrs {
  const char *printer_uri;      /* required */
  const char *user;             /* requesting-user-name, or NULL */
  const char *job_name;         /* Print-Job only, or NULL */
  const char *document_format;  /* mimeMediaType, or NULL */
  const char *const *requested; /* Get-Printer-Attributes only */
  size_t nrequested;
  int32_t job_id; /* Send-Document, Cancel-Job: the job (> 0) */
} pw_ipp_request_attrs;

/* Whole request header up to end-of-attributes-tag: attributes-charset
 * utf-8, attributes-natural-language en, printer-uri, requesting-user-name,
 * job-name, document-format (the order of RFC 8011 4.2.1.1). Names
 * (name(MAX), RFC 8011 5.1.3) longer than 255 octets are cut at a UTF-8
 * character boundary. PW_OK, PW_EINVAL (no URI, text not UTF-8), PW_ENOMEM.
 */
int pw_ipp_build_print_job(pw_ipp_writer *w, unsigned version,
                           int32_t request_id, const pw_ipp_request_attrs *a);
/* Create-Job (RFC 8011 4.2.4): as Print-Job without document-format (the
 * document comes with Send-Document). */
int pw_ipp_build_create_job(pw_ipp_writer *w, unsigned version,
                            int32_t request_id, const pw_ipp_request_attrs *a);
/* Send-Document (RFC 8011 4.3.1) of the job's one document: ...,
 * printer-uri, job-id, requesting-user-name, document-format,
 * last-document true. PW_EINVAL without a job_id > 0. */
int pw_ipp_build_send_document(pw_ipp_writer *w, unsigned version,
                               int32_t request_id,
                               const pw_ipp_request_attrs *a);
/* Cancel-Job (RFC 8011 4.3.3): ..., printer-uri, job-id,
 * requesting-user-name. PW_EINVAL without a job_id > 0. */
int pw_ipp_build_cancel_job(pw_ipp_writer *w, unsigned version,
                            int32_t request_id, const pw_ipp_request_attrs *a);
/* ... attributes-charset, -natural-language, printer-uri,
 * requesting-user-name, requested-attributes (1setOf keyword, if any),
 * document-format. */
int pw_ipp_build_get_printer_attributes(pw_ipp_writer *w, unsigned version,
                                        int32_t request_id,
                                        const pw_ipp_request_attrs *a);

/* ---- decoder ----------------------------------------------------------- */
typedef struct pw_ipp_value {
  unsigned tag; /* value-tag as sent (0x7F: extension, tag in the data) */
  size_t len;
  const uint8_t *data; /* len octets, followed by a NUL (not counted) */
} pw_ipp_value;

typedef struct pw_ipp_attr {
  unsigned group; /* the begin-attribute-group-tag it appeared under */
  const char *name;
  size_t first, count; /* its values: msg->values[first .. first+count) */
} pw_ipp_attr;

typedef struct pw_ipp_msg {
  unsigned version; /* 0x0200, 0x0101, ... (not checked) */
  unsigned code;    /* status-code of a response, operation-id of a request */
  int32_t request_id;
  pw_ipp_attr *attrs;
  size_t nattrs;
  pw_ipp_value *values;
  size_t nvalues;
  size_t header_len; /* octets through end-of-attributes-tag */
  char *pool_;       /* names and values (internal) */
} pw_ipp_msg;

/* Decode the header at the start of data[0..len) (at most
 * PW_IPP_MAX_HEADER of it is looked at; what follows is document data).
 *   PW_OK        *m filled; free with pw_ipp_msg_free
 *   PW_ENOBUFS   data ends before end-of-attributes-tag and len is below
 *                PW_IPP_MAX_HEADER: more bytes may complete it
 *   PW_EBADDATA  malformed, or beyond a limit
 *   PW_ENOMEM
 * On error *m is zeroed (pw_ipp_msg_free on it is harmless).
 * A collection value is kept as one value with tag begCollection and no
 * data; its members are checked for framing and skipped. */
int pw_ipp_decode(const void *data, size_t len, pw_ipp_msg *m);
void pw_ipp_msg_free(pw_ipp_msg *m);

/* First attribute called name in the given group (0: any group); NULL if
 * none. */
const pw_ipp_attr *pw_ipp_find(const pw_ipp_msg *m, unsigned group,
                               const char *name);
/* Value i of a, NULL if i is out of range. */
const pw_ipp_value *pw_ipp_value_at(const pw_ipp_msg *m, const pw_ipp_attr *a,
                                    size_t i);
/* integer or enum value: PW_OK, PW_ENOENT (no value i), PW_EBADDATA (other
 * syntax or not 4 octets) */
int pw_ipp_get_integer(const pw_ipp_msg *m, const pw_ipp_attr *a, size_t i,
                       int32_t *out);
/* boolean: PW_OK (*out 0 or 1), PW_ENOENT, PW_EBADDATA */
int pw_ipp_get_boolean(const pw_ipp_msg *m, const pw_ipp_attr *a, size_t i,
                       int *out);
/* text of a character-string value (text, name, keyword, uri, uriScheme,
 * charset, naturalLanguage, mimeMediaType; text and name WithLanguage give
 * their text part). NULL for another syntax or a malformed value. A text
 * with an embedded NUL reads as cut at the NUL. */
const char *pw_ipp_get_text(const pw_ipp_msg *m, const pw_ipp_attr *a,
                            size_t i);

#endif
