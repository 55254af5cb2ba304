#!/usr/bin/env python3
"""Generates Sources/DataCovey/Resources/openapi.json (the OpenAPI 3.1 document, embedded in the
binary, that the responder serves at /api/v1/openapi.json). Edit here, run `python3 scripts/openapi/gen.py`, and
let OpenAPIDocumentTests check it against the router and the encoders."""
import os
import json
def ref(kind, name): return {"$ref": f"#/components/{kind}/{name}"}
def sref(name): return ref("schemas", name)
ts = {"type": "string", "format": "date-time", "description": "RFC 3339 UTC timestamp with milliseconds, e.g. 2026-11-25T17:47:18.123Z."}
i64 = {"type": "integer", "format": "int64"}
def nullable(t, **kw): return {"type": [t, "null"], **kw}
def obj(props, required=None, closed=True, **kw):
    o = {"type": "object", "properties": props}
    if required is not None: o["required"] = required
    if closed: o["additionalProperties"] = False
    o.update(kw); return o
def listof(item, desc):
    return obj({"items": {"type": "array", "items": sref(item)},
                "next_cursor": nullable("string", description="Pass as ?cursor= to fetch the next page; null on the last page.")},
               ["items", "next_cursor"], description=desc)
name_schema = {"type": "string", "minLength": 1, "maxLength": 64, "pattern": "^[A-Za-z_][A-Za-z0-9_]*$",
               "description": "Letters, digits and _, starting with a letter or _; at most 64 characters; not a reserved word (nor id, tenant_id, version)."}
desc_schema = nullable("string", maxLength=2000)
column_name = {"type": "string", "minLength": 1, "maxLength": 64, "pattern": "^[A-Za-z_][A-Za-z0-9_]*$",
               "description": "Letters, digits and _; may not start with _dc_ (reserved) nor be a reserved word."}
# The column types as ColumnTypes.all registers them (ColumnTypeRegistryTests checks openapi.json lists exactly these).
COLUMN_TYPES = ["int64", "float64", "decimal(p,s)", "bool", "string", "text", "date", "timestamp", "json"]
def type_pattern(syntax):
    """`decimal(p,s)` -> `decimal\\([0-9]+,[0-9]+\\)`: each parameter letter a number."""
    if "(" not in syntax: return syntax
    name, params = syntax[:-1].split("(")
    return name + "\\(" + ",".join("[0-9]+" for _ in params.split(",")) + "\\)"
column_type = {"type": "string", "description": "One of " + ", ".join(COLUMN_TYPES) + ".",
               "examples": ["int64", "decimal(10,2)", "string"]}
schemas = {
 "Problem": obj({
    "type": {"type": "string", "format": "uri", "description": "https://datacovey.dev/problems/<slug>"},
    "title": {"type": "string"}, "status": {"type": "integer"}, "detail": {"type": "string"},
    "instance": {"type": "string", "description": "The request path; omitted when unknown."},
    "request_id": {"type": "string", "description": "Also sent as the X-Request-Id header."},
    "errors": {"type": "array", "items": sref("FieldError"), "description": "Present only when there are field problems."}},
    ["type", "title", "status", "detail", "request_id"], description="An RFC 9457 problem (application/problem+json)."),
 "FieldError": obj({"field": {"type": "string", "description": "The field as the client spelled it, e.g. columns.2.type or 0.amount."},
                    "message": {"type": "string", "description": "What is wrong, in plain words."},
                    "code": {"type": "string", "description": "A stable name for programs, where there is one: the SQL guard's reason (not_a_select, multiple_statements, forbidden_function, ...)."}},
                   ["field", "message"]),
 "Health": obj({"status": {"type": "string", "enum": ["ok"]}}, ["status"]),
 "Readiness": obj({"status": {"type": "string", "enum": ["ready"]},
                   "workers": {"type": "integer", "minimum": 0, "description": "Job workers alive (heartbeat within their lease)."},
                   "warnings": {"type": "array", "items": {"type": "string"},
                                "description": "What an operator should know: e.g. no worker is alive (jobs wait). Still 200: the responder serves."}},
                  ["status", "workers", "warnings"]),
 "Me": obj({"id": i64, "email": {"type": "string"}, "name": {"type": "string"},
            "role": {"type": "string", "enum": ["admin", "user", "viewer"]},
            "tenant": obj({"id": i64, "name": {"type": "string"}}, ["id", "name"])},
           ["id", "email", "name", "role", "tenant"]),
 "User": obj({"id": i64, "email": {"type": "string", "format": "email"}, "name": nullable("string"),
              "role": {"type": "string", "enum": ["admin", "user", "viewer"]}, "disabled": {"type": "boolean"},
              "sub": nullable("string", description="The identity provider's subject (e.g. auth0|123), bound at the user's first "
                                                    "sign-in; null while the user is invited."),
              "version": i64, "created_at": ts, "updated_at": ts},
             ["id", "email", "name", "role", "disabled", "sub", "version", "created_at", "updated_at"]),
 "UserList": listof("User", "A page of users."),
 "UserCreate": obj({"email": {"type": "string", "format": "email", "maxLength": 320},
                    "name": {"type": "string", "minLength": 1, "maxLength": 200},
                    "role": {"type": "string", "enum": ["admin", "user", "viewer"]},
                    "disabled": {"type": "boolean"}}, ["email", "name", "role"],
                   description="An invitation by e-mail: the identity subject is bound at the user's first sign-in (sub is refused)."),
 "UserUpdate": obj({"email": {"type": "string", "format": "email", "maxLength": 320},
                    "name": {"type": "string", "minLength": 1, "maxLength": 200},
                    "role": {"type": "string", "enum": ["admin", "user", "viewer"]},
                    "disabled": {"type": "boolean"}}, [], description="A merge patch: absent fields stay as they are (sub is refused)."),
 "Project": obj({"id": i64, "name": {"type": "string"}, "description": nullable("string"), "created_by": nullable("integer", format="int64"),
                 "version": i64, "created_at": ts, "updated_at": ts},
                ["id", "name", "description", "created_by", "version", "created_at", "updated_at"]),
 "ProjectList": listof("Project", "A page of projects."),
 "Dataset": obj({"id": i64, "project_id": i64, "name": {"type": "string"}, "description": nullable("string"),
                 "created_by": nullable("integer", format="int64"), "version": i64, "created_at": ts, "updated_at": ts},
                ["id", "project_id", "name", "description", "created_by", "version", "created_at", "updated_at"]),
 "DatasetList": listof("Dataset", "A page of datasets."),
 "NamedResourceCreate": obj({"name": name_schema, "description": desc_schema}, ["name"]),
 "NamedResourcePatch": obj({"name": name_schema, "description": {**desc_schema, "description": "null clears the description."}}, [],
                           description="A merge patch: absent fields stay as they are."),
 "Column": obj({"position": {"type": "integer"}, "name": {"type": "string"}, "type": column_type, "nullable": {"type": "boolean"},
                "default": nullable("string", description="The default as stored text; null when the column has none."),
                "primary_key": {"type": "boolean"},
                "description": nullable("string", description="What the column holds, as whoever defined it wrote; null when none was given.")},
               ["description", "position", "name", "type", "nullable", "default", "primary_key"]),
 "Table": obj({"id": i64, "dataset_id": i64, "name": {"type": "string"}, "description": nullable("string"),
               "autodetect": {"type": "boolean"}, "columns": {"type": "array", "items": sref("Column")},
               "row_count": nullable("integer", format="int64", description="The exact number of rows, only with ?count=exact (it reads the whole table); null otherwise."),
               "row_count_estimate": nullable("integer", format="int64", description="InnoDB's estimate (can be off by percents); null while an autodetect table has no physical table yet."),
               "created_by": nullable("integer", format="int64"), "version": i64, "created_at": ts, "updated_at": ts},
              ["id", "dataset_id", "name", "description", "autodetect", "columns", "row_count", "row_count_estimate", "created_by", "version", "created_at", "updated_at"]),
 "TableList": listof("Table", "A page of tables."),
 "ColumnInput": obj({"name": column_name, "type": column_type,
                     "nullable": {"type": "boolean", "default": True, "description": "Must be false (or absent) for a primary key column."},
                     "default": {"type": ["string", "number", "boolean"], "description": "A default value that fits the column type."},
                     "primary_key": {"type": "boolean", "default": False},
                     "description": {"type": "string", "maxLength": 2000, "description": "What the column holds."}}, ["name", "type"]),
 "TableCreate": obj({"name": name_schema, "description": desc_schema,
                     "columns": {"type": "array", "items": sref("ColumnInput"), "maxItems": 1000,
                                 "description": "At least one column unless autodetect is true; empty when autodetect is true."},
                     "autodetect": {"type": "boolean", "default": False, "description": "The first import defines the columns."}}, ["name"]),
 "TablePatch": obj({"name": name_schema, "description": {**desc_schema, "description": "null clears the description."},
                    "add_columns": {"type": "array", "items": sref("ColumnInput"),
                                    "description": "Columns to append; each must be nullable and not a primary key."},
                    "rename_columns": {"type": "object", "additionalProperties": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]{0,63}$"},
                                       "description": "Old column name → new name; the new name must be free."}}, [],
                   description="A merge patch: rename, re-describe, rename columns, append nullable columns."),
 "Row": {"type": "object", "additionalProperties": True,
         "description": "One row: column name to value (number, string, boolean, null, or any JSON for json columns)."},
 "RowList": obj({"items": {"type": "array", "items": sref("Row")},
                 "next_cursor": nullable("string", description="Pass as ?cursor= to fetch the next page; null on the last page.")},
                ["items", "next_cursor"], description="A page of rows, in insertion order unless ?order= says otherwise."),
 "RowInsert": {"type": "array", "items": sref("Row"), "minItems": 1, "maxItems": 10000,
               "description": "Rows to insert, all or nothing. Keys must be column names; required columns must be present."},
 "InsertedRows": obj({"inserted": {"type": "integer"}}, ["inserted"]),
}
schemas["ImportOptions"] = obj({
    "format": {"type": "string", "enum": ["csv", "ndjson"]}, "mode": {"type": "string", "enum": ["append", "replace"]},
    "header": {"type": "boolean"}, "delimiter": {"type": "string", "minLength": 1, "maxLength": 1},
    "quote": {"type": "string", "minLength": 1, "maxLength": 1}, "null_marker": {"type": "string", "maxLength": 64},
    "max_bad_records": {"type": "integer", "minimum": 0}, "dry_run": {"type": "boolean"}},
    ["format", "mode", "header", "delimiter", "quote", "null_marker", "max_bad_records", "dry_run"],
    description="How the file is read, as the upload's query string said.")
schemas["ImportJob"] = obj({
    "id": i64, "table_id": i64, "status": {"type": "string", "enum": ["pending", "running", "completed", "failed"]},
    "options": sref("ImportOptions"), "bytes_total": nullable("integer", format="int64"), "bytes_read": i64,
    "rows_loaded": {**i64, "description": "Rows loaded (for a dry run: rows that would load; nothing is written)."},
    "rows_rejected": i64, "percent": {"type": "number", "minimum": 0, "maximum": 100},
    "error": nullable("string", description="Why the job failed: the reader's reason with its line, or cancelled."),
    "attempts": i64, "created_by": nullable("integer", format="int64"), "started_at": nullable("string", format="date-time"),
    "finished_at": nullable("string", format="date-time"), "version": i64, "created_at": ts, "updated_at": ts,
    "reverted_at": nullable("string", format="date-time", description="When the import was reverted; null if it was not."),
    "reverted_by": nullable("integer", format="int64", description="Who reverted it.")},
    ["id", "table_id", "status", "options", "bytes_total", "bytes_read", "rows_loaded", "rows_rejected", "percent", "error",
     "attempts", "created_by", "started_at", "finished_at", "version", "created_at", "updated_at", "reverted_at", "reverted_by"])
schemas["ImportJobList"] = listof("ImportJob", "A page of a table's imports, oldest first.")
schemas["ImportReject"] = obj({"line": i64, "column": nullable("string"), "value": nullable("string", maxLength=1000),
                               "reason": {"type": "string"}}, ["line", "column", "value", "reason"],
                              description="A rejected record: its first line in the file, the column, the value and why.")
schemas["ImportRejectList"] = listof("ImportReject", "A page of an import's rejected records, in file order (at most 10000 are kept).")
schemas["ExportOptions"] = obj({
    "format": {"type": "string", "enum": ["csv", "ndjson"], "default": "csv"},
    "compression": {"type": "string", "enum": ["none", "gzip"], "default": "none"},
    "columns": nullable("array", items=column_name, minItems=1, description="The columns to write, in this order; null for all."),
    "filter": nullable("object", additionalProperties={"type": "string"},
                       description="column -> eq.<value>, lt.<value>, gt.<value>, like.<pattern> or is.null, as the rows list takes them."),
    "params": {"type": ["object", "array", "null"], "description": "A saved query's export only: its :name values (declared defaults fill the rest); null otherwise."},
    "escape_formulas": nullable("boolean", description="CSV only: text cells starting with =, +, -, @, tab or CR get a leading ' "
                                                  "so spreadsheets show them as text (OWASP CSV injection). null or absent: true for CSV.")},
    [], description="What an export writes.")
schemas["QueryExportOptions"] = obj({
    "format": {"type": "string", "enum": ["csv", "ndjson"], "default": "csv"},
    "compression": {"type": "string", "enum": ["none", "gzip"], "default": "none"},
    "params": {"type": ["object", "null"], "description": "The query's :name values; declared defaults fill the rest."},
    "escape_formulas": nullable("boolean", description="CSV only: text cells starting with =, +, -, @, tab or CR get a leading ' "
                                                  "so spreadsheets show them as text (OWASP CSV injection). null or absent: true for CSV.")},
    [], description="What an export of a saved query writes: the query's whole result, no row cap.")
schemas["ExportJob"] = obj({
    "id": i64, "table_id": nullable("integer", format="int64"),
    "query_id": nullable("integer", format="int64", description="The saved query exported, when that is the source."),
    "status": {"type": "string", "enum": ["pending", "running", "completed", "failed"]},
    "options": sref("ExportOptions"), "bytes_written": i64, "rows_exported": i64,
    "percent": {"type": "number", "minimum": 0, "maximum": 100},
    "error": nullable("string"), "attempts": i64, "created_by": nullable("integer", format="int64"),
    "started_at": nullable("string", format="date-time"), "finished_at": nullable("string", format="date-time"),
    "version": i64, "created_at": ts, "updated_at": ts,
    "download_url": nullable("string", description="Set once the file is complete.")},
    ["id", "table_id", "query_id", "status", "options", "bytes_written", "rows_exported", "percent", "error", "attempts", "created_by",
     "started_at", "finished_at", "version", "created_at", "updated_at", "download_url"])
schemas["ExportJobList"] = listof("ExportJob", "A page of a table's exports, oldest first.")
problems = {
 "BadRequest": "The request is malformed: bad JSON, unknown or mistyped field, bad limit/cursor/If-Match.",
 "Unauthorized": "No, an invalid or an unknown bearer token.",
 "Forbidden": "The caller's role does not allow this.",
 "NotFound": "No such resource in the caller's tenant.",
 "Conflict": "The request conflicts with the current state (name taken, resource in use, and so on).",
 "PreconditionFailed": "If-Match names an older version.",
 "ContentTooLarge": "The body is larger than the endpoint accepts.",
 "UnsupportedMediaType": "The body is not application/json.",
 "UnprocessableContent": "Values do not fit the table; no row was inserted.",
 "ServiceUnavailable": "The database or identity provider is unavailable; retry later.",
}
responses = {}
for n, d in problems.items():
    r = {"description": d, "content": {"application/problem+json": {"schema": sref("Problem")}}}
    if n == "Unauthorized": r["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "Bearer"}}
    if n == "ServiceUnavailable": r["headers"] = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}}
    responses[n] = r
code_of = {400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 409: "Conflict", 412: "PreconditionFailed",
           413: "ContentTooLarge", 415: "UnsupportedMediaType", 422: "UnprocessableContent", 503: "ServiceUnavailable"}
headers = {"ETag": {"description": "The resource's version as an entity tag, e.g. \"3\"; send it back as If-Match.", "schema": {"type": "string"}},
           "Location": {"description": "The URL of the created resource.", "schema": {"type": "string"}}}
parameters = {
 "Id": {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "format": "int64", "minimum": 1}},
 "Limit": {"name": "limit", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 50}},
 "Cursor": {"name": "cursor", "in": "query", "required": False, "schema": {"type": "string", "maxLength": 64},
            "description": "The next_cursor of the previous page."},
 "IdempotencyKey": {"name": "Idempotency-Key", "in": "header", "required": False,
             "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x21-\\x7E]+$"},
             "description": "Makes a retried POST safe: the first answer is replayed. 409 while the first request is still running; 422 when the key was used for a different request."},
 "IfMatch": {"name": "If-Match", "in": "header", "required": False,
             "schema": {"type": "string", "pattern": "^(\\*|(W/)?\"[1-9][0-9]{0,17}\")$"},
             "description": "An ETag this API returned (or *); a stale one is answered with 412."},
}
def op(opid, summary, tag, ok, errs, params=(), body=None, auth=True, min_role=None):
    o = {"operationId": opid, "summary": summary, "tags": [tag]}
    if min_role: o["description"] = f"Needs role {min_role} or higher."
    if params: o["parameters"] = [ref("parameters", p) for p in params]
    if body: o["requestBody"] = {"required": True, "content": {"application/json": {"schema": sref(body)}}}
    resp = dict(ok)
    for c in errs: resp[str(c)] = ref("responses", code_of[c])
    o["responses"] = resp
    if not auth: o["security"] = []
    return o
def ok(code, schema=None, etag=False, location=False, desc="OK"):
    r = {"description": desc}
    h = {}
    if etag: h["ETag"] = ref("headers", "ETag")
    if location: h["Location"] = ref("headers", "Location")
    if h: r["headers"] = h
    if schema: r["content"] = {"application/json": {"schema": sref(schema) if isinstance(schema, str) else schema}}
    return {str(code): r}
def crud(tag, single, plural, listpath, listparent, itempath, schema, listschema, createbody, patchbody,
         list_min="viewer", write_min="user", list_errs=(400, 401, 503), create_extra=()):
    p = {}
    lp = (["Id"] if listparent else []) + ["Limit", "Cursor"]
    forb = [403] if list_min != "viewer" else []
    p.setdefault(listpath, {})["get"] = op(f"list{plural}", f"List {plural.lower()}", tag, ok(200, listschema),
        sorted(set(list_errs) | set(forb) | ({404} if listparent else set())), lp, min_role=list_min)
    p[listpath]["post"] = op(f"create{single}", f"Create a {single.lower()}", tag, ok(201, schema, True, True, "Created"),
        sorted({400, 401, 403, 409, 413, 415, 503} | ({404} if listparent else set()) | set(create_extra)),
        ["Id"] if listparent else [], createbody, min_role=write_min)
    p.setdefault(itempath, {})["get"] = op(f"get{single}", f"Get a {single.lower()}", tag, ok(200, schema, True),
        sorted({401, 404, 503} | set(forb)), ["Id"], min_role=list_min)
    p[itempath]["patch"] = op(f"update{single}", f"Update a {single.lower()}", tag, ok(200, schema, True),
        [400, 401, 403, 404, 409, 412, 413, 415, 503], ["Id", "IfMatch"], patchbody, min_role=write_min)
    p[itempath]["delete"] = op(f"delete{single}", f"Delete a {single.lower()}", tag, {"204": {"description": "Deleted"}},
        [400, 401, 403, 404, 409, 412, 503], ["Id", "IfMatch"], min_role=write_min)
    return p
paths = {
 "/healthz": {"get": op("getHealth", "The process answers", "Health", ok(200, "Health"), [], auth=False)},
 "/readyz": {"get": op("getReadiness", "The process and its database answer; how many job workers are alive", "Health",
                       ok(200, "Readiness"), [503], auth=False)},
 "/api/v1/openapi.json": {"get": op("getOpenAPIDocument", "This document", "Meta",
     ok(200, {"type": "object", "description": "An OpenAPI 3.1 document."}), [], auth=False)},
 "/api/v1/me": {"get": op("getMe", "Who the token belongs to", "Me", ok(200, "Me"), [401, 503])},
}
paths.update(crud("Users", "User", "Users", "/api/v1/users", False, "/api/v1/users/{id}", "User", "UserList", "UserCreate", "UserUpdate",
                  list_min="admin", write_min="admin"))
paths.update(crud("Projects", "Project", "Projects", "/api/v1/projects", False, "/api/v1/projects/{id}", "Project", "ProjectList",
                  "NamedResourceCreate", "NamedResourcePatch"))
paths.update(crud("Datasets", "Dataset", "Datasets", "/api/v1/projects/{id}/datasets", True, "/api/v1/datasets/{id}", "Dataset", "DatasetList",
                  "NamedResourceCreate", "NamedResourcePatch"))
paths.update(crud("Tables", "Table", "Tables", "/api/v1/datasets/{id}/tables", True, "/api/v1/tables/{id}", "Table", "TableList",
                  "TableCreate", "TablePatch"))
rowfilter = {"name": "filters", "in": "query", "required": False, "style": "form", "explode": True,
             "schema": {"type": "object", "additionalProperties": {"type": "string"}},
             "description": "Free-form column filters, one query parameter per column: ?<column>=eq.<value>, lt.<value>, gt.<value>, "
                            "like.<pattern> (string and text columns) or is.null. Filters are combined with AND; json columns cannot be "
                            "compared or ordered by."}
roworder = {"name": "order", "in": "query", "required": False,
            "schema": {"type": "string", "pattern": "^[A-Za-z0-9_]+(\\.(asc|desc))?$"},
            "description": "column.asc (the default direction) or column.desc; equal values keep insertion order. NULLs come first "
                           "ascending and last descending. A cursor resumes only the order it was issued for (400 otherwise)."}
rowcursor = {"name": "cursor", "in": "query", "required": False, "schema": {"type": "string", "maxLength": 2048},
             "description": "The next_cursor of the previous page (of the same order)."}
paths["/api/v1/tables/{id}/rows"] = {
 "get": {**op("listRows", "Read rows, filtered and paged", "Rows", ok(200, "RowList"), [400, 401, 404, 409, 503],
              ["Id", "Limit"], min_role="viewer"), },
 "post": op("insertRows", "Insert rows, all or nothing", "Rows", ok(201, "InsertedRows", desc="Created"),
            [400, 401, 403, 404, 409, 413, 415, 422, 503], ["Id"], "RowInsert", min_role="user"),
}
paths["/api/v1/tables/{id}/rows"]["get"]["parameters"] += [rowcursor, roworder, rowfilter]
paths["/api/v1/tables/{id}/rows"]["get"]["description"] += " 409 when the table has no columns yet (autodetect before its first import)."
paths["/api/v1/tables/{id}/rows"]["post"]["description"] += " The body may be up to 8 MiB and hold up to 10000 rows; 409 for a repeated primary key or a table without columns."
def qparam(name, schema, desc):
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": desc}
upload = op("createImport", "Upload a file and start an import", "Imports", ok(202, "ImportJob", True, True, "Accepted"),
            [400, 401, 403, 404, 409, 413, 415, 422, 503], ["Id"], min_role="user")
upload["requestBody"] = {"required": True, "content": {t: {"schema": {"type": "string", "contentMediaType": t}}
                                                       for t in ["text/csv", "application/x-ndjson"]}}
upload["requestBody"]["content"]["multipart/form-data"] = {"schema": {"type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "contentMediaType": "application/octet-stream",
                            "description": "The file; a name ending .ndjson or .jsonl means NDJSON unless format says otherwise."},
                   **{n: {"type": "string", "description": "Any option of the query string, as a form field."}
                      for n in ["format", "mode", "header", "delimiter", "quote", "null_marker", "max_bad_records", "dry_run"]}}}}
upload["parameters"] += [
    qparam("format", {"type": "string", "enum": ["csv", "ndjson"]}, "Default: from Content-Type."),
    qparam("mode", {"type": "string", "enum": ["append", "replace"], "default": "append"}, "replace swaps the table's contents at once."),
    qparam("header", {"type": "boolean", "default": True}, "CSV: the first record names the columns."),
    qparam("delimiter", {"type": "string", "default": ","}, "CSV: one ASCII character (\\t for a tab)."),
    qparam("quote", {"type": "string", "default": "\""}, "CSV: one ASCII character."),
    qparam("null_marker", {"type": "string", "default": ""}, "CSV: an unquoted field equal to this is NULL (NULL in a NOT NULL column with a default takes the default)."),
    qparam("max_bad_records", {"type": "integer", "minimum": 0, "default": 0}, "More rejected records than this fail the job."),
    qparam("dry_run", {"type": "boolean", "default": False}, "Read and check every record, write nothing."),
]
upload["description"] += (" The body is streamed to a file; the job answers 202 pending and the worker loads it atomically: "
                          "a failed or cancelled import adds no rows. Idempotency-Key returns the same job on a retry.")
paths["/api/v1/tables/{id}/imports"] = {
 "post": upload,
 "get": op("listImports", "List a table's imports", "Imports", ok(200, "ImportJobList"), [400, 401, 404, 503],
           ["Id", "Limit", "Cursor"], min_role="viewer"),
}
paths["/api/v1/imports/{id}"] = {"get": op("getImport", "An import's status and progress", "Imports", ok(200, "ImportJob", True),
                                           [401, 404, 503], ["Id"], min_role="viewer")}
paths["/api/v1/imports/{id}/cancel"] = {"post": op("cancelImport", "Cancel a pending or running import", "Imports",
    ok(200, "ImportJob", True), [401, 403, 404, 409, 503], ["Id"], min_role="user")}
paths["/api/v1/imports/{id}/cancel"]["post"]["description"] += " The job fails with error cancelled and adds no rows; 409 when it has already ended."
rejects = op("listImportRejects", "An import's rejected records", "Imports", ok(200, "ImportRejectList"), [400, 401, 404, 503],
             ["Id", "Limit", "Cursor"], min_role="viewer")
rejects["responses"]["200"]["content"]["text/csv"] = {"schema": {"type": "string"}}
rejects["description"] += " Accept: text/csv gives all kept rejects as CSV (line,column,value,reason)."
paths["/api/v1/imports/{id}/rejects"] = {"get": rejects}
paths["/api/v1/tables/{id}/exports"] = {
 "post": op("createExport", "Start an export of a table", "Exports", ok(202, "ExportJob", True, True, "Accepted"),
            [400, 401, 403, 404, 409, 413, 415, 503], ["Id"], "ExportOptions", min_role="user"),
 "get": op("listExports", "List a table's exports", "Exports", ok(200, "ExportJobList"), [400, 401, 404, 503],
           ["Id", "Limit", "Cursor"], min_role="viewer"),
}
paths["/api/v1/tables/{id}"]["get"].setdefault("parameters", []).append(
    qparam("count", {"type": "string", "enum": ["exact", "estimated"], "default": "estimated"},
           "exact also fills row_count by counting the table (it reads every row); row_count_estimate is always given."))
paths["/api/v1/tables/{id}/exports"]["post"]["description"] += (" The worker writes the file under a temporary name and renames it "
    "when complete; a bad column or filter is refused here (400).")
paths["/api/v1/queries/{id}/exports"] = {
 "post": op("createQueryExport", "Start an export of a saved query's result", "Exports", ok(202, "ExportJob", True, True, "Accepted"),
            [400, 401, 403, 404, 413, 415, 503], ["Id"], "QueryExportOptions", min_role="user"),
 "get": op("listQueryExports", "List a saved query's exports", "Exports", ok(200, "ExportJobList"), [400, 401, 404, 503],
           ["Id", "Limit", "Cursor"], min_role="viewer"),
}
paths["/api/v1/queries/{id}/exports"]["post"]["description"] += (" The worker runs the query as the project's own account, "
    "read-only, with no row cap; its SQL, tables and parameters are checked here (400).")
schemas["HistoryEntry"] = obj({
    "version": i64, "operation": {"type": "string", "enum": ["insert", "update", "delete"]}, "changed_at": ts,
    "changed_by": {"oneOf": [{"type": "null"}, obj({"id": i64, "email": nullable("string")}, ["id", "email"])],
                   "description": "Who made the change (the user's email is null once the user is gone); null for changes of no user."},
    "record": {"type": "object", "description": "The row as it was at this version (for a delete: as it was when deleted)."},
    "changed": {"type": "array", "items": {"type": "string"},
                "description": "Fields that differ from the previous version: all for an insert, none for a delete; version and timestamps left out."}},
    ["version", "operation", "changed_at", "changed_by", "record", "changed"], description="One version of an object.")
schemas["HistoryEntryList"] = listof("HistoryEntry", "A page of an object's versions, newest first; the cursor is a version.")
for kind, noun in [("projects", "project"), ("datasets", "dataset"), ("tables", "table"), ("imports", "import"),
                   ("exports", "export"), ("queries", "saved query")]:
    history = op("list" + kind.capitalize() + "History", "Every version of a " + noun + ", newest first", "History",
                 ok(200, "HistoryEntryList"), [400, 401, 404, 503], ["Id", "Limit", "Cursor"], min_role="viewer")
    history["description"] += " Still readable after the " + noun + " is deleted; 404 for an id of another tenant."
    paths["/api/v1/" + kind + "/{id}/history"] = {"get": history}
# API tokens (issue 18): made and revoked (tokens), used (token_uses, operation use).
audit_kinds = ["users", "projects", "datasets", "tables", "table_columns", "imports", "exports", "queries", "tokens", "token_uses"]
audit_operations = ["insert", "update", "delete", "use"]
schemas["AuditEntry"] = obj({
    "kind": {"type": "string", "enum": audit_kinds},
    "entity_id": i64, "version": i64, "operation": {"type": "string", "enum": audit_operations,
        "description": "use: an API token's uses in one hour (kind token_uses; the record counts them)."}, "changed_at": ts,
    "changed_by": {"oneOf": [{"type": "null"}, obj({"id": i64, "email": nullable("string")}, ["id", "email"])]},
    "record": {"type": "object", "description": "The row as it was at this version."}},
    ["kind", "entity_id", "version", "operation", "changed_at", "changed_by", "record"], description="One change in the tenant.")
schemas["AuditEntryList"] = listof("AuditEntry", "A page of the tenant's changes, newest first.")
audit = op("listAudit", "Every change in the tenant, newest first", "History", ok(200, "AuditEntryList"), [400, 401, 403, 503],
           ["Limit", "Cursor"], min_role="admin")
audit["parameters"] += [
    {"name": "kind", "in": "query", "required": False, "schema": {"type": "string", "enum": audit_kinds}},
    {"name": "user", "in": "query", "required": False, "schema": i64, "description": "Changes made by this user id."},
    {"name": "operation", "in": "query", "required": False, "schema": {"type": "string", "enum": audit_operations}},
    {"name": "since", "in": "query", "required": False, "schema": {"type": "string", "format": "date-time"}, "description": "Inclusive."},
    {"name": "until", "in": "query", "required": False, "schema": {"type": "string", "format": "date-time"}, "description": "Exclusive."}]
audit["responses"]["200"]["content"]["text/csv"] = {"schema": {"type": "string"}}
audit["description"] += " Accept: text/csv gives up to 10000 entries as CSV (DataCovey-Truncated tells whether there were more)."
paths["/api/v1/audit"] = {"get": audit}
role_enum = {"type": "string", "enum": ["admin", "user", "viewer"]}
nullable_ts = {"type": ["string", "null"], "format": "date-time", "description": "RFC 3339 UTC timestamp with milliseconds; null when not set."}
token_props = {
    "id": i64, "name": {"type": "string", "maxLength": 64},
    "prefix": {"type": "string", "description": "The secret's first 12 characters (dct_ and 8 more), to tell tokens apart."},
    "role": role_enum,
    "user_id": {**i64, "description": "The user row the token acts as: changed_by in the history of its writes."},
    "created_by": {**i64, "description": "The admin who made it."},
    "created_at": ts, "expires_at": ts, "revoked_at": nullable_ts,
    "revoked_by": nullable("integer", format="int64", description="The admin who revoked it; null if not revoked or revoked by an operator."),
    "last_used_at": nullable_ts, "uses": {**i64, "description": "Requests made with it."},
    "state": {"type": "string", "enum": ["active", "expired", "revoked"]}, "version": i64}
schemas["APIToken"] = obj(token_props, list(token_props), description="An API token for programs. The secret is never listed.")
created_props = {**token_props, "secret": {"type": "string", "pattern": "^dct_[A-Za-z0-9_-]{43}$",
    "description": "The bearer secret. Shown in this answer only: DataCovey keeps its SHA-256."}}
schemas["APITokenCreated"] = obj(created_props, list(created_props), description="A token just made, with its secret (shown once).")
schemas["APITokenList"] = obj({"items": {"type": "array", "items": sref("APIToken")}, "next_cursor": nullable("string")}, ["items", "next_cursor"])
schemas["APITokenCreate"] = obj({"name": {"type": "string", "minLength": 1, "maxLength": 64}, "role": role_enum,
    "expires_at": {"type": "string", "format": "date-time", "description": "RFC 3339; in the future and at most 366 days ahead."}},
    ["name", "role", "expires_at"])
token_desc = "Needs role admin or higher, as a person (an API token cannot manage API tokens: 403)."
def token_op(opid, summary, ok_, errs, params=(), body=None, extra=""):
    o = op(opid, summary, "API tokens", ok_, errs, params, body)
    o["description"] = token_desc + extra
    return o
paths["/api/v1/tokens"] = {
    "get": token_op("listAPITokens", "List API tokens", ok(200, "APITokenList"), [400, 401, 403, 503], ["Limit", "Cursor"]),
    "post": token_op("createAPIToken", "Make an API token", ok(201, "APITokenCreated", True, True, "Created"),
                     [400, 401, 403, 413, 415, 503], body="APITokenCreate",
                     extra=" The answer is the only one that carries the secret. Idempotency-Key is not replayed here "
                           "(the answer holds the secret, which is never stored).")}
paths["/api/v1/tokens/{id}"] = {
    "get": token_op("getAPIToken", "Get an API token", ok(200, "APIToken", True), [401, 403, 404, 503], ["Id"]),
    "delete": token_op("revokeAPIToken", "Revoke an API token", ok(204, desc="Revoked"), [401, 403, 404, 503], ["Id"],
                       extra=" Its next request is refused (401). Revoking a revoked token is no error.")}
paths["/api/v1/exports/{id}"] = {"get": op("getExport", "An export's status and progress", "Exports", ok(200, "ExportJob", True),
                                           [401, 404, 503], ["Id"], min_role="viewer")}
paths["/api/v1/exports/{id}/cancel"] = {"post": op("cancelExport", "Cancel a pending or running export", "Exports",
    ok(200, "ExportJob", True), [401, 403, 404, 409, 503], ["Id"], min_role="user")}
download = op("downloadExport", "Download a completed export", "Exports", {"200": {
    "description": "The file (served by nginx from an internal location after this check), with Content-Disposition: attachment.",
    "content": {t: {"schema": {"type": "string"}} for t in ["text/csv", "application/x-ndjson", "application/gzip"]}}},
    [401, 404, 409, 503], ["Id"], min_role="viewer")
download["description"] += " 409 while the export has not completed, or when its file has expired."
paths["/api/v1/exports/{id}/download"] = {"get": download}
# Queries: ad hoc SQL, saved queries and the run history.
problems["QueryBadRequest"] = ("The query was not run. type is query-refused when the guard refused the SQL (errors[0].field is sql, "
    "errors[0].message a code such as forbiddenFunction), query-failed with the server's message, query-timeout when it ran "
    "longer than the statement limit, or bad-request: malformed body, unknown table, bad or missing params, limit out of range.")
problems["TooManyRequests"] = "query-limit: the project is over its query limits; retry after Retry-After seconds."
for n in ("QueryBadRequest", "TooManyRequests"):
    responses[n] = {"description": problems[n], "content": {"application/problem+json": {"schema": sref("Problem")}}}
responses["TooManyRequests"]["headers"] = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}}
code_of[429] = "TooManyRequests"
headers["DataCovey-Run-Id"] = {"description": "The id of the run this answer came from (see GET /api/v1/runs/{id}); not sent for a dry run.",
                               "schema": {"type": "integer", "format": "int64"}}
headers["DataCovey-Truncated"] = {"description": "true when more rows matched than limit allowed; not sent for a dry run.",
                                  "schema": {"type": "string", "enum": ["true", "false"]}}
query_params = {"type": ["array", "object"],
                "items": {"type": ["string", "number", "boolean", "null"]},
                "additionalProperties": {"type": ["string", "number", "boolean", "null"]},
                "description": "An array of values for ? markers, in order, or an object of :name values; scalars only. "
                               "Use one kind of marker per query."}
query_limit = {"type": "integer", "minimum": 1, "default": 10000,
               "description": "The most rows to return, 1 to the server's row cap (DATACOVEY_QUERY_ROW_CAP, 10000 unless configured); "
                              "defaults to the row cap. More matching rows set truncated."}
query_dry_run = {"type": "boolean", "default": False,
                 "description": "Check and EXPLAIN the query instead of running it; recorded in the run history with dry_run true."}
query_escape = {"type": "boolean", "default": False,
                "description": "With Accept: text/csv, prefix text cells starting with =, +, -, @, tab or CR with ' (OWASP CSV injection)."}
query_sql = {"type": "string", "minLength": 1, "maxLength": 100000,
             "description": "One SELECT (or WITH ... SELECT) statement of at most 100000 bytes. Tables are named dataset.table, or table "
                            "when the name is unique in the project; values go in ? or :name markers."}
param_type = {"type": "string", "pattern": "^(" + "|".join(map(type_pattern, COLUMN_TYPES)) + ")$",
              "description": "One of " + ", ".join(COLUMN_TYPES) + ".",
              "examples": ["int64", "date", "decimal(10,2)"]}
param_name = {"type": "string", "minLength": 1, "description": "The marker's name without the colon; the SQL must use it as :name."}
any_value = {"description": "Any JSON value."}
schemas["QueryRequest"] = obj({"sql": query_sql, "params": query_params, "limit": query_limit, "dry_run": query_dry_run,
                               "escape_formulas": query_escape}, ["sql"],
                              description="An ad hoc query.")
schemas["QueryRunRequest"] = obj({"params": {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean", "null"]},
                                             "description": ":name values; the saved query's declared defaults fill the rest."},
                                  "limit": query_limit, "dry_run": query_dry_run, "escape_formulas": query_escape}, [],
                                 description="How to run a saved query; the whole body may be left out.")
schemas["QueryColumn"] = obj({"name": {"type": "string"},
                              "type": {"type": "string", "description": ", ".join(COLUMN_TYPES + ["time", "binary"]) + " or null. "
                                                                        "A json column's cells are its JSON values."}},
                             ["name", "type"])
schemas["QueryResult"] = obj({
    "run_id": nullable("integer", format="int64", description="The recorded run; null in a dry run's explain."),
    "columns": {"type": "array", "items": sref("QueryColumn")},
    "rows": {"type": "array", "items": {"type": "array", "items": any_value},
             "description": "Each row's values in column order: numbers, booleans, decimals as strings, dates YYYY-MM-DD, timestamps "
                            "RFC 3339 UTC, binary as base64, NULL as null."},
    "row_count": {"type": "integer"}, "truncated": {"type": "boolean", "description": "The query gave more rows than the answer holds."},
    "truncated_by": nullable("string", enum=["rows", "bytes", None],
                             description="Why: the row cap or limit (rows), or the answer's byte limit (bytes, DATACOVEY_QUERY_MAX_BYTES); "
                                         "null when not truncated."),
    "elapsed_ms": i64},
    ["run_id", "columns", "rows", "row_count", "truncated", "truncated_by", "elapsed_ms"], description="A query's result.")
schemas["QueryDryRun"] = obj({"dry_run": {"type": "boolean", "const": True},
                              "run_id": {**i64, "description": "The recorded run (dry_run true in the run history)."},
                              "estimated_rows": {**i64, "description": "The optimizer's estimate of rows examined."},
                              "explain": {**sref("QueryResult"), "description": "EXPLAIN's plan as a result (run_id null)."}},
                             ["dry_run", "run_id", "estimated_rows", "explain"], description="What a dry run answers.")
schemas["QueryParameter"] = obj({"name": {"type": "string"}, "type": param_type, "default": {**any_value, "description": "null when none."}},
                                ["name", "type", "default"], description="A declared parameter of a saved query.")
schemas["QueryParameterInput"] = obj({"name": param_name, "type": param_type,
                                      "default": {**any_value, "description": "A value that fits type; used when a run gives none."}},
                                     ["name", "type"])
schemas["SavedQuery"] = obj({"id": i64, "project_id": i64, "name": {"type": "string"}, "description": nullable("string"),
                             "sql": {"type": "string"}, "parameters": {"type": "array", "items": sref("QueryParameter")},
                             "created_by": nullable("integer", format="int64"), "version": i64, "created_at": ts, "updated_at": ts},
                            ["id", "project_id", "name", "description", "sql", "parameters", "created_by", "version", "created_at", "updated_at"])
schemas["SavedQueryList"] = listof("SavedQuery", "A page of a project's saved queries.")
saved_parameters = {"type": "array", "items": sref("QueryParameterInput"),
                    "description": "Typed :name parameters; names unique, each used by the SQL."}
schemas["SavedQueryCreate"] = obj({"name": name_schema, "description": desc_schema, "sql": query_sql, "parameters": saved_parameters},
                                  ["name", "sql"])
schemas["SavedQueryPatch"] = obj({"name": name_schema, "description": {**desc_schema, "description": "null clears the description."},
                                  "sql": query_sql, "parameters": {**saved_parameters, "description": "Replaces all declarations."}}, [],
                                 description="A merge patch: absent fields stay as they are.")
schemas["QueryRun"] = obj({
    "id": i64, "project_id": i64, "query_id": nullable("integer", format="int64", description="The saved query; null for ad hoc SQL."),
    "user_id": nullable("integer", format="int64"), "sql": {"type": "string"},
    "params": {**any_value, "description": "The params as given; null when none."},
    "dry_run": {"type": "boolean", "description": "An EXPLAIN of the SQL rather than a run of it."},
    "status": {"type": "string", "enum": ["pending", "running", "completed", "failed"]},
    "started_at": nullable("string", format="date-time"), "finished_at": nullable("string", format="date-time"),
    "duration_ms": nullable("integer", format="int64"), "row_count": nullable("integer", format="int64"),
    "error": nullable("string"), "created_at": ts},
    ["id", "project_id", "query_id", "user_id", "sql", "params", "dry_run", "status", "started_at", "finished_at", "duration_ms", "row_count",
     "error", "created_at"], description="One run of SQL, saved or ad hoc.")
schemas["QueryRunList"] = listof("QueryRun", "A page of runs, newest first.")
def run_answer():
    return {"200": {"description": "The result (JSON, or CSV for Accept: text/csv: a header row of column names, then the rows; NULL "
                                   "is an empty field); for dry_run, the plan.",
                    "headers": {h: ref("headers", h) for h in ("DataCovey-Run-Id", "DataCovey-Truncated")},
                    "content": {"application/json": {"schema": {"oneOf": [sref("QueryResult"), sref("QueryDryRun")]}},
                                "text/csv": {"schema": {"type": "string"}}}}}
def query_op(opid, summary, body, body_required, hidden):
    o = op(opid, summary, "Queries", run_answer(), [400, 401, 404, 413, 415, 429, 503], ["Id"], body, min_role="viewer")
    o["requestBody"]["required"] = body_required
    o["responses"]["400"] = ref("responses", "QueryBadRequest")
    o["description"] += (" The query runs read-only with a statement time limit; every run (not a dry run) is recorded in the "
                         f"run history. 404 when the {hidden} is not visible to the caller.")
    return o
paths["/api/v1/projects/{id}/query"] = {"post": query_op("runQuery", "Run ad hoc SQL against a project", "QueryRequest", True, "project")}
paths.update(crud("Queries", "SavedQuery", "SavedQueries", "/api/v1/projects/{id}/queries", True, "/api/v1/queries/{id}", "SavedQuery",
                  "SavedQueryList", "SavedQueryCreate", "SavedQueryPatch"))
for path, method, summary in [("/api/v1/projects/{id}/queries", "get", "List a project's saved queries"),
                              ("/api/v1/projects/{id}/queries", "post", "Save a query"),
                              ("/api/v1/queries/{id}", "get", "Get a saved query"),
                              ("/api/v1/queries/{id}", "patch", "Update a saved query"),
                              ("/api/v1/queries/{id}", "delete", "Delete a saved query")]:
    paths[path][method]["summary"] = summary
for method in ("post", "patch"):
    paths["/api/v1/projects/{id}/queries" if method == "post" else "/api/v1/queries/{id}"][method]["description"] += (
        " The SQL is checked as a run would check it (400 query-refused); parameters must fit their types; 409 when the name is "
        "taken in the project.")
paths["/api/v1/queries/{id}"]["delete"]["description"] += " Its runs stay listed; its exports go to the trash with it; 409 while one of its exports is pending or running."
paths["/api/v1/queries/{id}/runs"] = {
 "post": query_op("runSavedQuery", "Run a saved query", "QueryRunRequest", False, "saved query"),
 "get": op("listSavedQueryRuns", "A saved query's run history", "Runs", ok(200, "QueryRunList"), [400, 401, 404, 503],
           ["Id", "Limit", "Cursor"], min_role="viewer"),
}
paths["/api/v1/projects/{id}/runs"] = {"get": op("listProjectRuns", "A project's run history", "Runs", ok(200, "QueryRunList"),
                                                 [400, 401, 404, 503], ["Id", "Limit", "Cursor"], min_role="viewer")}
run_filters = [
    qparam("status", {"type": "string", "enum": ["pending", "running", "completed", "failed"]}, "Only runs with this status."),
    qparam("user", {"type": "integer", "format": "int64", "minimum": 1}, "Only runs by this user id."),
    qparam("q", {"type": "string", "maxLength": 200}, "Only runs whose SQL contains this text."),
]
for path in ("/api/v1/queries/{id}/runs", "/api/v1/projects/{id}/runs"):
    paths[path]["get"]["parameters"] += run_filters
    paths[path]["get"]["description"] += " Newest first; the filters combine with AND."
paths["/api/v1/runs/{id}"] = {"get": op("getRun", "One run", "Runs", ok(200, "QueryRun"), [401, 404, 503], ["Id"], min_role="viewer")}
# Trash, restore and revert (issue 6).
for path, noun, what in [("/api/v1/projects/{id}", "project", "its datasets, tables, saved queries, jobs and runs"),
                         ("/api/v1/datasets/{id}", "dataset", "its tables (with their rows) and jobs"),
                         ("/api/v1/tables/{id}", "table", "its rows and jobs"),
                         ("/api/v1/queries/{id}", "saved query", "its exports")]:
    paths[path]["delete"]["description"] = (f"Moves the {noun} to the trash with {what}: invisible to every endpoint and to queries, "
        "restorable by an admin (POST .../restore) until the retention (DATACOVEY_TRASH_RETENTION_DAYS, 30) ends. "
        "409 while an import or export of it is pending or running.")
schemas["TrashEntry"] = obj({
    "kind": {"type": "string", "enum": ["project", "dataset", "table", "query"]}, "id": i64, "name": {"type": "string"},
    "parent_id": nullable("integer", format="int64", description="The project (datasets, queries) or dataset (tables) it was in."),
    "deleted_by": nullable("integer", format="int64"), "deleted_at": ts, "expires_at": ts,
    "restore": {"type": "string", "description": "The path that restores it."}},
    ["kind", "id", "name", "parent_id", "deleted_by", "deleted_at", "expires_at", "restore"],
    description="A deleted object, with what went with it.")
schemas["TrashEntryList"] = listof("TrashEntry", "A page of the tenant's trash, oldest delete first.")
trash_list = op("listTrash", "What was deleted and can be restored", "Trash", ok(200, "TrashEntryList"), [400, 401, 503],
                ["Limit", "Cursor"], min_role="viewer")
trash_list["parameters"] += [qparam("kind", {"type": "string", "enum": ["project", "dataset", "table", "query"]}, "Only this kind.")]
paths["/api/v1/trash"] = {"get": trash_list}
schemas["RestoreRequest"] = obj({
    "version": {**i64, "minimum": 1, "description": "The version whose fields (name, description; a query's SQL and parameters; "
                                                    "a table's columns) come back. Leave out to bring a trashed object back as it was."},
    "rename_to": {**name_schema, "description": "A new name, when the old one is taken now."},
    "drop_columns": {"type": "boolean", "description": "Confirms that restoring a table to a version with fewer columns drops "
                                                       "the others and their data."}}, [],
    description="What to restore; the whole body may be left out.")
for kind, single, schema in [("projects", "Project", "Project"), ("datasets", "Dataset", "Dataset"), ("tables", "Table", "Table"),
                             ("queries", "SavedQuery", "SavedQuery")]:
    o = op(f"restore{single}", f"Restore a {single.lower()} from the trash or to a version", "Trash", ok(200, schema, True),
           [400, 401, 403, 404, 409, 412, 415, 503], ["Id", "IfMatch"], "RestoreRequest", min_role="admin")
    o["requestBody"]["required"] = False
    o["description"] += (" The restore is a new version. 404 for an unknown version, 409 when the parent is in the trash (named), "
                         "when the name is taken (use rename_to), when it was deleted with its parent, or when a table would lose "
                         "columns without drop_columns.")
    paths[f"/api/v1/{kind}/{{id}}/restore"] = {"post": o}
revert = op("revertImport", "Undo a completed import", "Imports", ok(200, "ImportJob", True), [400, 401, 403, 404, 409, 412, 503],
            ["Id", "IfMatch"], min_role="admin")
revert["description"] += (" An append's rows are removed; a replace brings back the rows it replaced. 409 with the reason when the "
                          "import did not complete, was reverted already, the table's columns changed since, or a later import "
                          "changed the table (revert that first).")
paths["/api/v1/imports/{id}/revert"] = {"post": revert}
for item in paths.values():
    post = item.get("post")
    # Running a query does not replay Idempotency-Key answers.
    if post and post["operationId"] in ("cancelImport", "cancelExport", "runQuery", "runSavedQuery", "createAPIToken"):
        continue
    if post and post.get("security") != []:
        post.setdefault("parameters", []).append(ref("parameters", "IdempotencyKey"))
        codes = set(post["responses"]) | {"409", "422"}
        post["responses"] = {c: (post["responses"].get(c) or ref("responses", code_of[int(c)])) for c in sorted(codes)}
doc = {
 "openapi": "3.1.0",
 "info": {"title": "DataCovey", "version": "1",
          "description": "DataCovey's JSON API. Fields are snake_case, timestamps RFC 3339 UTC; errors are application/problem+json. "
                         "Lists are keyset-paged: ?limit= (1-1000, default 50) and the opaque ?cursor= from next_cursor. "
                         "Resources carry their version as ETag; PATCH and DELETE honour If-Match. JSON bodies are limited to 1 MiB."},
 "servers": [{"url": "/"}],
 "security": [{"bearerAuth": []}],
 "tags": [{"name": t} for t in ["Health", "Meta", "Me", "Users", "Projects", "Datasets", "Tables", "Rows", "Imports", "Exports", "Queries", "Runs", "History", "API tokens", "Trash"]],
 "paths": paths,
 "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                    "description": "An Auth0 (or development-issuer) access token (JWT, RS256), or a DataCovey API token (dct_…, made at /api/v1/tokens)."}},
                "schemas": schemas, "parameters": parameters, "headers": headers, "responses": responses},
}
text = json.dumps(doc, indent=2, ensure_ascii=False)
assert '"""' not in text and '\\#' not in text
open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Sources/DataCovey/Resources/openapi.json"), "w").write(text + "\n")
print(len(text))
