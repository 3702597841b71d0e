/* Baseline for `sync import`: reads a plaintext clinic change log and, in one transaction, stores every
 * change in a table shaped like clinic's `change` (same indexes, UNIQUE id) and upserts its field group
 * into a per-row state table (newer HLC wins). Fields are cut out of the canonical line, not parsed.
 * usage: upserts DB LOG   -> prints {"changes":N,"seconds":S} */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
static void check(int rc, sqlite3 *db) { if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) { fprintf(stderr, "%s\n", sqlite3_errmsg(db)); exit(1); } }

/* After `key` (e.g. "\"id\":"), returns the start of a JSON string's content and its length (escapes kept). */
static const char *field(const char *line, const char *key, int *length) {
    const char *p = strstr(line, key);
    if (!p) return 0;
    p += strlen(key);
    if (*p != '"') { *length = 0; return p; }
    const char *q = ++p;
    while (*q && *q != '"') { if (*q == '\\') q++; q++; }
    *length = (int)(q - p);
    return p;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: upserts DB LOG\n"); return 64; }
    sqlite3 *db;
    remove(argv[1]);
    check(sqlite3_open(argv[1], &db), db);
    check(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
        "CREATE TABLE change (seq INTEGER PRIMARY KEY AUTOINCREMENT, change_id TEXT UNIQUE, origin TEXT, hlc INTEGER,"
        " tbl TEXT NOT NULL, row_id TEXT NOT NULL, grp TEXT NOT NULL, vals TEXT NOT NULL, prev TEXT);"
        "CREATE INDEX change_row ON change(tbl, row_id, grp, hlc); CREATE INDEX change_origin ON change(origin, hlc);"
        "CREATE INDEX change_prev ON change(tbl, row_id, grp, prev);"
        "CREATE TABLE row_state (tbl TEXT NOT NULL, row_id TEXT NOT NULL, grp TEXT NOT NULL, vals TEXT NOT NULL, hlc INTEGER NOT NULL,"
        " PRIMARY KEY (tbl, row_id, grp));", 0, 0, 0), db);
    FILE *f = fopen(argv[2], "rb");
    if (!f) return 74;
    sqlite3_stmt *insert, *upsert;
    check(sqlite3_prepare_v2(db, "INSERT INTO change (change_id, origin, hlc, tbl, row_id, grp, vals, prev) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                             -1, &insert, 0), db);
    check(sqlite3_prepare_v2(db, "INSERT INTO row_state (tbl, row_id, grp, vals, hlc) VALUES (?, ?, ?, ?, ?)"
                             " ON CONFLICT (tbl, row_id, grp) DO UPDATE SET vals = excluded.vals, hlc = excluded.hlc WHERE excluded.hlc > row_state.hlc",
                             -1, &upsert, 0), db);
    double t0 = now();
    check(sqlite3_exec(db, "BEGIN IMMEDIATE", 0, 0, 0), db);
    size_t capacity = 0;
    char *line = 0;
    ssize_t length;
    long changes = 0;
    while ((length = getline(&line, &capacity, f)) > 0) {
        if (strncmp(line, "{\"group\":", 9) != 0) continue; /* header and trailer */
        int gl, il, ol, pl, rl, tl;
        const char *group = field(line, "{\"group\":", &gl), *id = field(line, ",\"id\":", &il), *origin = field(line, ",\"origin\":", &ol);
        const char *prev = field(line, ",\"prev\":", &pl), *row = field(line, ",\"row\":", &rl), *table = field(line, ",\"table\":", &tl);
        const char *hlc = strstr(line, ",\"hlc\":"), *values = strstr(line, ",\"values\":");
        if (!group || !id || !origin || !prev || !row || !table || !hlc || !values) { fprintf(stderr, "bad line\n"); return 65; }
        values += 10;
        int vl = (int)(line + length - values) - 2; /* drop the closing brace and newline */
        long long stamp = atoll(hlc + 7);
        sqlite3_bind_text(insert, 1, id, il, SQLITE_STATIC);
        sqlite3_bind_text(insert, 2, origin, ol, SQLITE_STATIC);
        sqlite3_bind_int64(insert, 3, stamp);
        sqlite3_bind_text(insert, 4, table, tl, SQLITE_STATIC);
        sqlite3_bind_text(insert, 5, row, rl, SQLITE_STATIC);
        sqlite3_bind_text(insert, 6, group, gl, SQLITE_STATIC);
        sqlite3_bind_text(insert, 7, values, vl, SQLITE_STATIC);
        if (pl == 0) sqlite3_bind_null(insert, 8); else sqlite3_bind_text(insert, 8, prev, pl, SQLITE_STATIC);
        check(sqlite3_step(insert), db); sqlite3_reset(insert);
        sqlite3_bind_text(upsert, 1, table, tl, SQLITE_STATIC);
        sqlite3_bind_text(upsert, 2, row, rl, SQLITE_STATIC);
        sqlite3_bind_text(upsert, 3, group, gl, SQLITE_STATIC);
        sqlite3_bind_text(upsert, 4, values, vl, SQLITE_STATIC);
        sqlite3_bind_int64(upsert, 5, stamp);
        check(sqlite3_step(upsert), db); sqlite3_reset(upsert);
        changes++;
    }
    check(sqlite3_exec(db, "COMMIT", 0, 0, 0), db);
    double s = now() - t0;
    printf("{\"name\":\"c-upserts\",\"changes\":%ld,\"seconds\":%g,\"changes_per_s\":%g}\n", changes, s, changes / s);
    free(line); fclose(f);
    sqlite3_finalize(insert); sqlite3_finalize(upsert); sqlite3_close(db);
    return 0;
}
