/* Baseline for `booking`: N single-row inserts into an appointment-shaped table (same indexes),
 * one BEGIN IMMEDIATE ... COMMIT each, with clinic's pragmas (WAL, synchronous=FULL, foreign_keys).
 * usage: insert_commits DB N   -> prints {"ops":N,"seconds":S} */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
static void check(int rc, sqlite3 *db) { if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) { fprintf(stderr, "%s\n", sqlite3_errmsg(db)); exit(1); } }

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: insert_commits DB N\n"); return 64; }
    int n = atoi(argv[2]);
    sqlite3 *db;
    remove(argv[1]);
    check(sqlite3_open(argv[1], &db), db);
    check(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
        "CREATE TABLE appointment (id TEXT PRIMARY KEY, patient_id TEXT NOT NULL, staff_id TEXT NOT NULL, room_id TEXT NOT NULL,"
        " service_id TEXT NOT NULL, start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL CHECK (end_ms > start_ms), status TEXT NOT NULL,"
        " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
        "CREATE INDEX a1 ON appointment(staff_id, start_ms); CREATE INDEX a2 ON appointment(room_id, start_ms);"
        "CREATE INDEX a3 ON appointment(patient_id, start_ms); CREATE INDEX a4 ON appointment(start_ms);", 0, 0, 0), db);
    sqlite3_stmt *begin, *insert, *commit;
    check(sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, 0), db);
    check(sqlite3_prepare_v2(db, "COMMIT", -1, &commit, 0), db);
    check(sqlite3_prepare_v2(db, "INSERT INTO appointment VALUES (?, ?, ?, ?, 'svc', ?, ?, 'booked', 0, 0)", -1, &insert, 0), db);
    double t0 = now();
    char id[40], patient[16], staff[16];
    for (int i = 0; i < n; i++) {
        check(sqlite3_step(begin), db); sqlite3_reset(begin);
        snprintf(id, sizeof id, "00000000-0000-7000-8000-%012x", i);
        snprintf(patient, sizeof patient, "pat%d", i % 1000);
        snprintf(staff, sizeof staff, "p%d", i % 20);
        sqlite3_bind_text(insert, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(insert, 2, patient, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(insert, 3, staff, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(insert, 4, staff, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(insert, 5, 1767225600000LL + (long long)i * 1800000);
        sqlite3_bind_int64(insert, 6, 1767225600000LL + (long long)i * 1800000 + 1800000);
        check(sqlite3_step(insert), db); sqlite3_reset(insert);
        check(sqlite3_step(commit), db); sqlite3_reset(commit);
    }
    double s = now() - t0;
    printf("{\"name\":\"c-insert-commits\",\"ops\":%d,\"seconds\":%g,\"ops_per_s\":%g}\n", n, s, n / s);
    sqlite3_finalize(begin); sqlite3_finalize(insert); sqlite3_finalize(commit);
    sqlite3_close(db);
    return 0;
}
