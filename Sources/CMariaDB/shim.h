#ifndef CMARIADB_SHIM_H
#define CMARIADB_SHIM_H
#include <stddef.h>
#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>

/* mysql_library_init is a macro alias of mysql_server_init; Swift cannot import macros. */
static inline int CMariaDB_library_init(void) {
    return mysql_library_init(0, NULL, NULL);
}
#endif
