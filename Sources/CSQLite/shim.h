#include <sqlite3.h>

/* sqlite3_config is variadic, which Swift cannot call; valid only before SQLite initialises. */
static inline int clinic_sqlite3_disable_memstatus(void) { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }

/* The FTS5 extension API of a connection, or NULL: asked for through `SELECT fts5(?1)` with a bound
   pointer, the one way SQLite hands it out. The type name must outlive the statement, hence C. */
static inline fts5_api *clinic_fts5_api(sqlite3 *db) {
    fts5_api *api = 0;
    sqlite3_stmt *statement = 0;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &statement, 0) != SQLITE_OK) return 0;
    sqlite3_bind_pointer(statement, 1, (void *)&api, "fts5_api_ptr", 0);
    sqlite3_step(statement);
    sqlite3_finalize(statement);
    return api;
}
