/* portway — one-line error reasons for callers' errbuf/errlen pairs. */
#ifndef PORTWAY_ERRBUF_H
#define PORTWAY_ERRBUF_H

#include <stddef.h>

#include "portway/error.h"

/* printf into errbuf[0..errlen) (truncating); does nothing when errbuf is
 * NULL or errlen 0, so every caller may pass its optional buffer on. */
void pw_errbuf_printf(char *errbuf, size_t errlen, const char *fmt, ...)
    PW_PRINTF(3, 4);

#endif
