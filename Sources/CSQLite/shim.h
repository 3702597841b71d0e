#include <sqlite3.h>

/* sqlite3_config is variadic, which Swift cannot call; valid only before SQLite initialises. */
static inline int clinic_sqlite3_disable_memstatus(void) { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }
