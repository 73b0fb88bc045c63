/* portway — the pipe port type: each job is fed to a program's stdin. */
#ifndef PORTWAY_DEST_PIPE_H
#define PORTWAY_DEST_PIPE_H

#include "portway/config.h"

/*   uri=pipe:/usr/bin/lpr   (or pipe:/C:/Tools/gs.exe)
 *   args=-P lab                                     (optional) */
typedef struct pw_pipe_options {
  /* The program: an absolute local path in the form of pw_file_options'
   * dir ("C:/Tools/gs.exe", "/usr/bin/lpr"), never UNC. */
  char *command;
  char *args; /* the option args=..., NULL if none or empty */
} pw_pipe_options;

/* The options of a pipe port, NULL if cfg is not one. */
const pw_pipe_options *pw_pipe_opts(const pw_port_config *cfg);

#endif
