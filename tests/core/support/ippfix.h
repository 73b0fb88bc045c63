/* portway tests — shared by the IPP tests (test_ipp.c, test_ipp_hostile.c):
 * decoding from exactly sized copies and a sample Print-Job response. */
#ifndef PORTWAY_TEST_IPPFIX_H
#define PORTWAY_TEST_IPPFIX_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/ipp.h"
#include "portway/error.h"

#define LIT(s) (s), (sizeof(s) - 1)

/* Exactly sized heap copy, so ASan sees any read past the end. */
static inline uint8_t *exact_copy(const void *src, size_t len) {
  uint8_t *p = malloc(len ? len : 1);
  if (p && len)
    memcpy(p, src, len);
  return p;
}

static inline int decode_copy(const void *data, size_t len, pw_ipp_msg *m) {
  uint8_t *c = exact_copy(data, len);
  int rc = pw_ipp_decode(c, len, m);
  if (rc == PW_OK) {
    /* the message must not point into the input */
    memset(c, 0xAA, len);
  }
  free(c);
  return rc;
}

/* A successful Print-Job response in the layout of RFC 8010 A.4, followed
 * by two octets that are not part of the header. */
static const char print_job_response[] = "\x01\x01"
                                         "\x00\x00"         /* successful-ok */
                                         "\x00\x00\x00\x01" /* */
                                         "\x01"             /* */
                                         "\x47\x00\x12"
                                         "attributes-charset"
                                         "\x00\x05"
                                         "utf-8"
                                         "\x48\x00\x1b"
                                         "attributes-natural-language"
                                         "\x00\x05"
                                         "en-us"
                                         "\x41\x00\x0e"
                                         "status-message"
                                         "\x00\x0d"
                                         "successful-ok"
                                         "\x02"
                                         "\x21\x00\x06"
                                         "job-id"
                                         "\x00\x04"
                                         "\x00\x00\x00\x93" /* 147 */
                                         "\x45\x00\x07"
                                         "job-uri"
                                         "\x00\x21"
                                         "ipp://printer.example.com/job/147"
                                         "\x23\x00\x09"
                                         "job-state"
                                         "\x00\x04"
                                         "\x00\x00\x00\x03" /* pending */
                                         "\x03"
                                         "%!";

#endif
