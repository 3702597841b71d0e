/* Baseline for `sync import`: the same upserts into the same tables, with nothing else.
 * Opens a copy of the destination database (clinic's own schema, indexes and triggers), and in one
 * transaction, for every change of a plaintext clinic change log:
 *   - inserts the change into `change`, as clinic does;
 *   - upserts the row's values into its domain table (INSERT ... ON CONFLICT(id) DO UPDATE), one
 *     upsert per run of consecutive changes to one row, with `updated_at` set where the table has it.
 * Same pragmas as clinic during an import (WAL, synchronous FULL, foreign keys on, 64 MB cache), and
 * `sync_state.applying` set so the capture triggers stay quiet, as they do for clinic's import.
 * No last-writer-wins, no pending rows, no conflict checks, no checksum: what is left is SQLite's work.
 * Values are cut out of the canonical line (flat objects of strings, integers and nulls).
 * usage: upserts_schema DB LOG   -> prints {"name":"c-upserts-schema","changes":N,"seconds":S,...} */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
static sqlite3 *db;
static void check(int rc) { if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) { fprintf(stderr, "%s\n", sqlite3_errmsg(db)); exit(1); } }

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

#define MAX_COLUMNS 48
typedef struct { char name[64]; char text[512]; int length; int kind; /* 0 null, 1 integer, 2 text */ long long integer; } Value;
typedef struct { char table[64]; char row[64]; long long hlc; int count; Value values[MAX_COLUMNS]; } Pending;
typedef struct { char sql[4096]; sqlite3_stmt *statement; } Cached;
static Cached cache[256];
static int cached = 0;
static Pending pending;

static int has_updated_at(const char *table) {
    static char known[64][64]; static int answer[64]; static int count = 0;
    for (int i = 0; i < count; i++) if (strcmp(known[i], table) == 0) return answer[i];
    char sql[128]; snprintf(sql, sizeof sql, "SELECT 1 FROM pragma_table_info('%s') WHERE name = 'updated_at'", table);
    sqlite3_stmt *s; check(sqlite3_prepare_v2(db, sql, -1, &s, 0));
    int found = sqlite3_step(s) == SQLITE_ROW; sqlite3_finalize(s);
    snprintf(known[count], 64, "%s", table); answer[count++] = found;
    return found;
}

static sqlite3_stmt *statement(const char *sql) {
    for (int i = 0; i < cached; i++) if (strcmp(cache[i].sql, sql) == 0) return cache[i].statement;
    snprintf(cache[cached].sql, sizeof cache[cached].sql, "%s", sql);
    check(sqlite3_prepare_v2(db, sql, -1, &cache[cached].statement, 0));
    return cache[cached++].statement;
}

static char *put(char *p, const char *text) { size_t n = strlen(text); memcpy(p, text, n); return p + n; }

static void flush(void) {
    if (!pending.table[0]) return;
    int stamp = has_updated_at(pending.table);
    /* The statement text is built with plain copies (it is also the cache key). */
    char sql[4096], *p = sql;
    p = put(p, "INSERT INTO "); p = put(p, pending.table); p = put(p, " (id");
    for (int i = 0; i < pending.count; i++) { p = put(p, ", "); p = put(p, pending.values[i].name); }
    if (stamp) p = put(p, ", updated_at");
    p = put(p, ") VALUES (?");
    for (int i = 0; i < pending.count + stamp; i++) p = put(p, ", ?");
    p = put(p, ") ON CONFLICT(id) DO UPDATE SET ");
    for (int i = 0; i < pending.count; i++) {
        if (i) p = put(p, ", ");
        p = put(p, pending.values[i].name); p = put(p, " = excluded."); p = put(p, pending.values[i].name);
    }
    if (pending.count == 0) p = put(p, "id = excluded.id");
    *p = 0;
    sqlite3_stmt *s = statement(sql);
    sqlite3_bind_text(s, 1, pending.row, -1, SQLITE_STATIC);
    for (int i = 0; i < pending.count; i++) {
        Value *v = &pending.values[i];
        if (v->kind == 0) sqlite3_bind_null(s, i + 2);
        else if (v->kind == 1) sqlite3_bind_int64(s, i + 2, v->integer);
        else sqlite3_bind_text(s, i + 2, v->text, v->length, SQLITE_STATIC);
    }
    if (stamp) sqlite3_bind_int64(s, pending.count + 2, pending.hlc >> 16);
    check(sqlite3_step(s)); sqlite3_reset(s);
    pending.table[0] = 0;
}

/* Adds the members of a flat canonical object to the pending row (a later value of a column wins). */
static void take(const char *values, long long hlc) {
    const char *p = values + 1; /* past '{' */
    pending.hlc = hlc;
    while (*p == '"') {
        const char *name = ++p; while (*p != '"') p++;
        int name_length = (int)(p - name); p += 2; /* '":' */
        Value *v = 0;
        for (int i = 0; i < pending.count; i++)
            if ((int)strlen(pending.values[i].name) == name_length && strncmp(pending.values[i].name, name, name_length) == 0) v = &pending.values[i];
        if (!v) { if (pending.count == MAX_COLUMNS) { fprintf(stderr, "too many columns\n"); exit(65); } v = &pending.values[pending.count++]; }
        snprintf(v->name, sizeof v->name, "%.*s", name_length, name);
        if (*p == '"') {
            const char *text = ++p; while (*p != '"') { if (*p == '\\') p++; p++; }
            v->kind = 2; v->length = (int)(p - text);
            if (v->length >= (int)sizeof v->text) { fprintf(stderr, "long value\n"); exit(65); }
            memcpy(v->text, text, v->length); p++;
        } else if (*p == 'n') { v->kind = 0; p += 4; }
        else if (*p == 't' || *p == 'f') { v->kind = 1; v->integer = *p == 't'; p += *p == 't' ? 4 : 5; }
        else { v->kind = 1; v->integer = strtoll(p, (char **)&p, 10); }
        if (*p == ',') p++;
    }
}

/* clinic registers this on every connection; its triggers name it, so it must exist (it is never called
 * while `applying` is set). */
static void capture(sqlite3_context *context, int argc, sqlite3_value **argv) { (void)argc; (void)argv; sqlite3_result_null(context); }

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: upserts_schema DB LOG\n"); return 64; }
    check(sqlite3_open(argv[1], &db));
    check(sqlite3_create_function(db, "clinic_capture", 5, SQLITE_UTF8, 0, capture, 0, 0));
    check(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
                           "PRAGMA cache_size=-65536;", 0, 0, 0));
    FILE *f = fopen(argv[2], "rb");
    if (!f) return 74;
    sqlite3_stmt *insert;
    check(sqlite3_prepare_v2(db, "INSERT INTO change (change_id, origin, hlc, tbl, row_id, grp, vals, prev) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                             -1, &insert, 0));
    double t0 = now();
    check(sqlite3_exec(db, "BEGIN IMMEDIATE; UPDATE sync_state SET applying = 1 WHERE id = 1;", 0, 0, 0));
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
        if (!group || !id || !origin || !prev || !row || !table || !hlc || !values || tl >= 64 || rl >= 64) { fprintf(stderr, "bad line\n"); return 65; }
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
        check(sqlite3_step(insert)); sqlite3_reset(insert);
        if (strncmp(pending.table, table, tl) != 0 || pending.table[tl] || strncmp(pending.row, row, rl) != 0 || pending.row[rl]) {
            flush();
            snprintf(pending.table, sizeof pending.table, "%.*s", tl, table);
            snprintf(pending.row, sizeof pending.row, "%.*s", rl, row);
            pending.count = 0;
        }
        if (gl > 0 && group[0] != '_') take(values, stamp); /* `_deleted` marks a deletion: nothing to upsert */
        changes++;
    }
    flush();
    check(sqlite3_exec(db, "UPDATE sync_state SET applying = 0 WHERE id = 1; COMMIT", 0, 0, 0));
    double s = now() - t0;
    printf("{\"name\":\"c-upserts-schema\",\"changes\":%ld,\"seconds\":%g,\"changes_per_s\":%g}\n", changes, s, changes / s);
    free(line); fclose(f);
    for (int i = 0; i < cached; i++) sqlite3_finalize(cache[i].statement);
    sqlite3_finalize(insert); sqlite3_close(db);
    return 0;
}
