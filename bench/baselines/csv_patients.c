/* Baseline for `import patients`: the rows of a simple CSV (first,last,dob,phone; no quotes) inserted into the
 * clinic database's own patient table (same columns, indexes and capture triggers, with clinic_capture a no-op:
 * no change rows), one transaction for the file, with clinic's pragmas (WAL, synchronous=FULL, foreign_keys).
 * usage: csv_patients DB CSV   -> prints {"name":"c-csv-patients","rows":N,"seconds":S} */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <time.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
static void check(int rc, sqlite3 *db) { if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) { fprintf(stderr, "%s\n", sqlite3_errmsg(db)); exit(1); } }
static void noop(sqlite3_context *c, int n, sqlite3_value **v) { (void)n; (void)v; sqlite3_result_null(c); }

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: csv_patients DB CSV\n"); return 64; }
    sqlite3 *db;
    check(sqlite3_open(argv[1], &db), db);
    check(sqlite3_create_function(db, "clinic_capture", 5, SQLITE_UTF8, 0, noop, 0, 0), db);
    check(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", 0, 0, 0), db);
    sqlite3_stmt *site, *insert;
    check(sqlite3_prepare_v2(db, "SELECT id, code FROM site WHERE is_local = 1", -1, &site, 0), db);
    check(sqlite3_step(site), db);
    char site_id[64], code[16];
    snprintf(site_id, sizeof site_id, "%s", (const char *)sqlite3_column_text(site, 0));
    snprintf(code, sizeof code, "%s", (const char *)sqlite3_column_text(site, 1));
    sqlite3_finalize(site);
    check(sqlite3_prepare_v2(db, "INSERT INTO patient (id, site_id, chart, chart_seq, first, last, dob, phone, email, search, created_at)"
                                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)", -1, &insert, 0), db);
    FILE *csv = fopen(argv[2], "r");
    if (!csv) { perror(argv[2]); return 66; }
    char line[1024], id[40], chart[32], search[512];
    double t0 = now();
    check(sqlite3_exec(db, "BEGIN IMMEDIATE", 0, 0, 0), db);
    long rows = 0;
    if (!fgets(line, sizeof line, csv)) return 65;   /* header */
    while (fgets(line, sizeof line, csv)) {
        line[strcspn(line, "\r\n")] = 0;
        char *field[4] = {0};
        char *cursor = line;
        for (int i = 0; i < 4; i++) { field[i] = strsep(&cursor, ","); if (!field[i]) field[i] = ""; }
        rows++;
        snprintf(id, sizeof id, "00000000-0000-7000-8000-%012lx", rows);
        snprintf(chart, sizeof chart, "%s-%06ld", code, rows);
        snprintf(search, sizeof search, "%s %s %s", field[0], field[1], chart);
        for (char *p = search; *p; p++) *p = (char)tolower((unsigned char)*p);
        sqlite3_bind_text(insert, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(insert, 2, site_id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(insert, 3, chart, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(insert, 4, rows);
        sqlite3_bind_text(insert, 5, field[0], -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(insert, 6, field[1], -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(insert, 7, field[2], -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(insert, 8, field[3], -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(insert, 9, search, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(insert, 10, 1764547200000LL);
        check(sqlite3_step(insert), db);
        sqlite3_reset(insert);
    }
    check(sqlite3_exec(db, "COMMIT", 0, 0, 0), db);
    printf("{\"name\":\"c-csv-patients\",\"rows\":%ld,\"seconds\":%.6f}\n", rows, now() - t0);
    sqlite3_finalize(insert);
    sqlite3_close(db);
    fclose(csv);
    return 0;
}
