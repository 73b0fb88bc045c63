/* portway — the port form of portwayui.dll, without Win32: the fields an
 * administrator fills in for each port type, the configuration text built
 * from them (what the UI sends with Xcv AddPort/SetConfig, see
 * docs/xcv.md), a configuration text parsed back into fields (Xcv
 * GetConfig), field checks with a reason in words, and the sample file name
 * a pattern gives. The DLL (src/ui/) only moves text between these fields
 * and its controls.
 *
 * All text is UTF-8. Paths are Windows paths as a person types them
 * ("C:\Print\Out", "\\server\share\out"); the URI forms are built here.
 * The server checks the configuration again: these checks exist so the
 * form can say which field is wrong before anything is sent. */
#ifndef PORTWAY_UI_FORM_H
#define PORTWAY_UI_FORM_H

#include <stddef.h>

#include "portway/config.h"
#include "portway/pattern.h"

typedef enum pw_ui_type {
  PW_UI_FILE = 0, /* file:///C:/dir + pattern */
  PW_UI_PIPE,     /* pipe:///C:/prog.exe + args, output */
  PW_UI_RAW,      /* socket://host:port */
  PW_UI_LPR,      /* lpd://host:port/queue + bytecount */
  PW_UI_IPP,      /* ipp://... or ipps://... as typed */
  PW_UI_NTYPES
} pw_ui_type;

/* Which field a check refused (for the form to put its note next to). */
typedef enum pw_ui_field {
  PW_UI_F_NONE = 0,
  PW_UI_F_NAME,
  PW_UI_F_DIR,
  PW_UI_F_PATTERN,
  PW_UI_F_PROGRAM,
  PW_UI_F_ARGS,
  PW_UI_F_OUTPUT,
  PW_UI_F_HOST,
  PW_UI_F_PORTNUM,
  PW_UI_F_QUEUE,
  PW_UI_F_URL,
  PW_UI_F_EXTRA
} pw_ui_field;

#define PW_UI_PATH_MAX 520 /* bytes of UTF-8 in a path field */
#define PW_UI_HOST_MAX 256
#define PW_UI_QUEUE_MAX 128
#define PW_UI_ARGS_MAX 1024

typedef struct pw_ui_form {
  pw_ui_type type;
  char dir[PW_UI_PATH_MAX];           /* file: the folder */
  char pattern[PW_MAX_PATTERN + 1];   /* file: the file name pattern */
  char program[PW_UI_PATH_MAX];       /* pipe: the program */
  char args[PW_UI_ARGS_MAX];          /* pipe: argument template */
  char output[PW_UI_PATH_MAX];        /* pipe: output folder ("" = none) */
  char host[PW_UI_HOST_MAX];          /* RAW, LPR */
  char portnum[12];                   /* RAW, LPR: "" = the default */
  char queue[PW_UI_QUEUE_MAX];        /* LPR */
  int bytecount;                      /* LPR: 1 = count bytes (default) */
  char url[PW_MAX_URI];               /* IPP: ipp:// or ipps:// */
  char extra[PW_MAX_CONFIG_TEXT / 2]; /* option lines the form has no
                                         field for, kept as they were */
} pw_ui_form;

/* The default folder of a new file port (the server's default too). */
#define PW_UI_DEFAULT_DIR "C:\\ProgramData\\portway\\output"

/* Empty form of `type` with its defaults. */
void pw_ui_form_init(pw_ui_form *f, pw_ui_type type);

/* "file", "pipe", "socket", "lpd", "ipp" (for the type list). */
const char *pw_ui_type_scheme(pw_ui_type type);

/* Check the fields of f->type. PW_OK, or PW_EBADCONFIG with *field (may be
 * NULL) set to the first bad field and a reason in errbuf. */
int pw_ui_form_validate(const pw_ui_form *f, pw_ui_field *field, char *errbuf,
                        size_t errlen);

/* The configuration text for the form (checked first): "uri=...\n" and the
 * option lines, then `extra`. *out is newly allocated (free()). PW_OK,
 * PW_EBADCONFIG (as validate), PW_ENOMEM. */
int pw_ui_form_build(const pw_ui_form *f, char **out, pw_ui_field *field,
                     char *errbuf, size_t errlen);

/* Fill f from a configuration text (GetConfig's answer). Lines the form
 * has no field for go to f->extra unchanged. PW_OK, or PW_EBADCONFIG (no
 * uri line, a scheme portway has no form for, a URI that does not parse)
 * with a reason. */
int pw_ui_form_parse(const char *text, pw_ui_form *f, char *errbuf,
                     size_t errlen);

/* A port name as the server accepts it (pw_port_name_validate), with the
 * reason in words. PW_OK or PW_EBADNAME. */
int pw_ui_check_port_name(const char *name, char *errbuf, size_t errlen);

/* The file name `pattern` gives for a sample job: job 42, document
 * "Quarterly report", user "alice", machine "WS01", printer "Office", the
 * port `port` (NULL: "PORT1:"), at the time in `when` (year, month, day,
 * hour, minute, second). PW_OK, or PW_EBADCONFIG with the reason. */
int pw_ui_pattern_preview(const char *pattern, const char *port,
                          const int when[6], char *out, size_t cap,
                          char *errbuf, size_t errlen);

#endif
