/* portway — helpers shared by the POSIX platform files (not part of the
 * platform interface). */
#ifndef PORTWAY_POSIX_INTERNAL_H
#define PORTWAY_POSIX_INTERNAL_H

/* Map an errno value to a negative pw_err (PW_EIO for anything unexpected)
 * and record it as the thread's last OS error (pw_os_last_error). */
int pw_posix_err(int e);

#endif
