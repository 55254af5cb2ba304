/*
 * The benchmark floor for GET /api/v1/projects/{id}/datasets: the least a FastCGI program
 * can do to answer it. It runs the same SQL as datacovey-fcgi on the same account
 * (CALL begin_request, the datasets page, the project check only for an empty page), one connection per thread,
 * and prints the JSON with printf — no token check, no router, no JSON library, no pool.
 * scripts/bench runs it on the responder's socket behind the same nginx, so the ratio
 * DataCovey / floor is what the product's own code costs.
 *
 *   cc -O2 -o floor floor.c $(pkg-config --cflags --libs libmariadb) -lfcgi -lpthread
 *
 * Environment: FLOOR_SOCKET (unix socket path), FLOOR_THREADS (default 16),
 * FLOOR_SUBJECT (the Auth0 sub the token would carry), DATACOVEY_DB_SOCKET,
 * DATACOVEY_DB_PASSWORD (the dc_app account's password).
 */
#include <fcgiapp.h>
#include <mysql.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int listen_fd;
static const char *subject;

static void fail(const char *what, MYSQL *db) {
    fprintf(stderr, "floor: %s: %s\n", what, db ? mysql_error(db) : "");
    exit(1);
}

static MYSQL *connect_db(void) {
    MYSQL *db = mysql_init(NULL);
    if (!db) fail("mysql_init", NULL);
    if (!mysql_real_connect(db, NULL, "dc_app", getenv("DATACOVEY_DB_PASSWORD"), "datacovey_app", 0,
                            getenv("DATACOVEY_DB_SOCKET"), CLIENT_MULTI_RESULTS))
        fail("connect", db);
    return db;
}

/* Runs one statement and returns its first result set (NULL when it has none); any further
 * result sets, such as the status a CALL ends with, are drained. */
static MYSQL_RES *run(MYSQL *db, const char *sql) {
    if (mysql_real_query(db, sql, strlen(sql)) != 0) fail(sql, db);
    MYSQL_RES *result = mysql_store_result(db);
    while (mysql_next_result(db) == 0) {
        MYSQL_RES *extra = mysql_store_result(db);
        if (extra) mysql_free_result(extra);
    }
    return result;
}

/* JSON string escaping for the characters that can occur in names and descriptions. */
static void put_string(FCGX_Stream *out, const char *text) {
    if (!text) { FCGX_PutS("null", out); return; }
    FCGX_PutChar('"', out);
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '"' || *p == '\\') { FCGX_PutChar('\\', out); FCGX_PutChar(*p, out); }
        else if (*p < 0x20) FCGX_FPrintF(out, "\\u%04x", *p);
        else FCGX_PutChar(*p, out);
    }
    FCGX_PutChar('"', out);
}

/* "2026-11-26 08:00:00.123456" as "2026-11-26T08:00:00.123Z". */
static void put_time(FCGX_Stream *out, const char *value) {
    FCGX_FPrintF(out, "\"%.10sT%.12sZ\"", value, value + 11);
}

static void answer(FCGX_Request *request, MYSQL *db, char *escaped_subject) {
    long long project = 0;
    const char *uri = FCGX_GetParam("REQUEST_URI", request->envp);
    if (!uri || sscanf(uri, "/api/v1/projects/%lld/datasets", &project) != 1) {
        FCGX_PutS("Status: 404\r\nContent-Type: text/plain\r\n\r\nnot found\n", request->out);
        return;
    }
    char sql[1024];
    snprintf(sql, sizeof sql, "CALL begin_request('%s')", escaped_subject);
    MYSQL_RES *user = run(db, sql);
    if (user) mysql_free_result(user);
    /* The page first; only an empty page checks that the project exists, as DatasetStore.list. */
    snprintf(sql, sizeof sql, "SELECT id, project_id, name, description, created_by, version, created_at, updated_at, "
                              "data_database FROM datasets WHERE project_id = %lld AND id > 0 ORDER BY id LIMIT 51", project);
    MYSQL_RES *rows = run(db, sql);
    if (!rows || mysql_num_rows(rows) == 0) {
        if (rows) mysql_free_result(rows);
        snprintf(sql, sizeof sql, "SELECT id, name, description, created_by, version, created_at, updated_at "
                                  "FROM projects WHERE id = %lld", project);
        MYSQL_RES *found = run(db, sql);
        int exists = found && mysql_num_rows(found) == 1;
        if (found) mysql_free_result(found);
        FCGX_PutS(exists ? "Status: 200\r\nContent-Type: application/json\r\n\r\n{\"items\":[],\"next_cursor\":null}"
                         : "Status: 404\r\nContent-Type: application/problem+json\r\n\r\n{\"status\":404}", request->out);
        return;
    }
    FCGX_PutS("Status: 200\r\nContent-Type: application/json\r\n\r\n{\"items\":[", request->out);
    MYSQL_ROW row;
    int count = 0;
    while ((row = mysql_fetch_row(rows)) && count < 50) {
        if (count++) FCGX_PutChar(',', request->out);
        FCGX_FPrintF(request->out, "{\"created_at\":");
        put_time(request->out, row[6]);
        FCGX_FPrintF(request->out, ",\"created_by\":%s,\"description\":", row[4] ? row[4] : "null");
        put_string(request->out, row[3]);
        FCGX_FPrintF(request->out, ",\"id\":%s,\"name\":", row[0]);
        put_string(request->out, row[2]);
        FCGX_FPrintF(request->out, ",\"project_id\":%s,\"updated_at\":", row[1]);
        put_time(request->out, row[7]);
        FCGX_FPrintF(request->out, ",\"version\":%s}", row[5]);
    }
    mysql_free_result(rows);
    FCGX_PutS("],\"next_cursor\":null}", request->out);
}

static void *serve(void *unused) {
    (void)unused;
    MYSQL *db = connect_db();
    char escaped[600];
    mysql_real_escape_string(db, escaped, subject, strlen(subject) > 255 ? 255 : strlen(subject));
    FCGX_Request request;
    FCGX_InitRequest(&request, listen_fd, 0);
    while (FCGX_Accept_r(&request) >= 0) {
        answer(&request, db, escaped);
        FCGX_Finish_r(&request);
    }
    return NULL;
}

int main(void) {
    const char *socket_path = getenv("FLOOR_SOCKET");
    subject = getenv("FLOOR_SUBJECT");
    int threads = getenv("FLOOR_THREADS") ? atoi(getenv("FLOOR_THREADS")) : 16;
    if (!socket_path || !subject || threads < 1 || threads > 256) {
        fprintf(stderr, "floor: set FLOOR_SOCKET, FLOOR_SUBJECT and FLOOR_THREADS (1-256)\n");
        return 2;
    }
    if (mysql_library_init(0, NULL, NULL) != 0 || FCGX_Init() != 0) fail("init", NULL);
    umask(0117);  /* the socket is 0660, as the responder's */
    listen_fd = FCGX_OpenSocket(socket_path, 1024);
    if (listen_fd < 0) fail("FCGX_OpenSocket", NULL);
    pthread_t workers[256];
    for (int i = 0; i < threads; i++) pthread_create(&workers[i], NULL, serve, NULL);
    for (int i = 0; i < threads; i++) pthread_join(workers[i], NULL);
    return 0;
}
