/* portway — the file port type: its options (file_config.c) for the file
 * destination (file.c) and for tests. */
#ifndef PORTWAY_DEST_FILE_H
#define PORTWAY_DEST_FILE_H

#include "portway/config.h"

/*   uri=file:///C:/Print/Out          the destination directory
 *   pattern={date}-{time}-job{job}-{doc}.prn   (pattern.h; the default) */
typedef struct pw_file_options {
  /* Destination directory, '/' separators: a Windows drive path is
   * "C:/dir", UNC is "//server/share/dir", POSIX "/dir". */
  char *dir;
  char *pattern; /* file name pattern, validated; PW_DEFAULT_PATTERN */
} pw_file_options;

/* The options of a file port, NULL if cfg is not one. */
const pw_file_options *pw_file_opts(const pw_port_config *cfg);

#endif
