/* Baseline for `sync export`: reads every sealed change of a clinic database in export order and writes
 * it as one JSON line (same keys, sorted, strings escaped) to a file, then fsyncs it.
 * usage: json_lines DB OUT   -> prints {"rows":N,"seconds":S} */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

static void string(FILE *f, const unsigned char *s) {
    fputc('"', f);
    for (; *s; s++) {
        switch (*s) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default: if (*s < 0x20) fprintf(f, "\\u%04x", *s); else fputc(*s, f);
        }
    }
    fputc('"', f);
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: json_lines DB OUT\n"); return 64; }
    sqlite3 *db;
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, 0) != SQLITE_OK) { fprintf(stderr, "cannot open\n"); return 74; }
    double t0 = now();
    FILE *f = fopen(argv[2], "wb");
    if (!f) return 74;
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db, "SELECT change_id, origin, hlc, tbl, row_id, grp, vals, prev FROM change WHERE change_id IS NOT NULL"
                               " ORDER BY origin, hlc, seq", -1, &q, 0) != SQLITE_OK) { fprintf(stderr, "%s\n", sqlite3_errmsg(db)); return 74; }
    long rows = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        fputs("{\"group\":", f); string(f, sqlite3_column_text(q, 5));
        fprintf(f, ",\"hlc\":%lld,\"id\":", sqlite3_column_int64(q, 2)); string(f, sqlite3_column_text(q, 0));
        fputs(",\"origin\":", f); string(f, sqlite3_column_text(q, 1));
        fputs(",\"prev\":", f);
        if (sqlite3_column_type(q, 7) == SQLITE_NULL) fputs("null", f); else string(f, sqlite3_column_text(q, 7));
        fputs(",\"row\":", f); string(f, sqlite3_column_text(q, 4));
        fputs(",\"table\":", f); string(f, sqlite3_column_text(q, 3));
        fprintf(f, ",\"values\":%s}\n", sqlite3_column_text(q, 6));
        rows++;
    }
    fflush(f); fsync(fileno(f)); fclose(f);
    double s = now() - t0;
    printf("{\"name\":\"c-json-lines\",\"rows\":%ld,\"seconds\":%g,\"rows_per_s\":%g}\n", rows, s, rows / s);
    sqlite3_finalize(q); sqlite3_close(db);
    return 0;
}
