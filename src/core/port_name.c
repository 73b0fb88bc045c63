/* portway — port name rules (pw_port_name_validate, see portway/config.h).
 * Port names reach the spooler's registry keys and its "PORT, Port" lists,
 * so anything that could split or alias a name is refused. */
#include <stdint.h>
#include <string.h>

#include "portway/config.h"
#include "portway/error.h"
#include "utf8_decode.h"

#define PORT_NAME_MAX_UNITS 63 /* MAX_PORTNAME_LEN (64) minus the NUL */

int pw_port_name_validate(const char *name) {
  if (!name)
    return PW_EINVAL;
  size_t units = 0;
  for (const char *p = name; *p;) {
    uint32_t cp;
    size_t n = pw_utf8_decode(p, SIZE_MAX, &cp);
    if (n == 0)
      return PW_EBADNAME;
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
      return PW_EBADNAME;
    if (cp < 0x80 && strchr("\\/,\"*?<>|", (int)cp))
      return PW_EBADNAME;
    units += cp >= 0x10000 ? 2 : 1;
    if (units > PORT_NAME_MAX_UNITS)
      return PW_EBADNAME;
    p += n;
  }
  size_t len = strlen(name);
  if (len == 0 || name[0] == ' ' || name[len - 1] == ' ')
    return PW_EBADNAME;
  return PW_OK;
}
