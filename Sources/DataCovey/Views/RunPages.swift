import Foundation
import MariaDB

/// The run history on the pages, as the API has it: `GET /projects/{id}/runs` (newest first,
/// filtered by status, by the caller's own runs and by text the SQL contains, with older pages)
/// and `GET /runs/{id}` (one run: its SQL, values, outcome, who and when, and a link that opens
/// it again in the editor).
struct RunPages: Sendable {
    let browser: BrowserAuthenticator

    static let pageSize = 50

    func register(in router: inout Router) {
        router.add("GET", "/projects/{id:int}/runs", list)
        router.add("GET", "/runs/{id:int}", show)
    }

    func list(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request) { caller, connection, _ in
            let history = QueryRunHistory(caller: caller.identity, connection: connection)
            let given = { (name: String) in request.query(name).flatMap { $0.isEmpty ? nil : $0 } }
            var message: String?
            var runs: [(run: QueryRun, by: String?)] = []
            var filter = QueryRunStore.Filter()
            do {
                filter = try QueryRunHistory.filter { name in name == "user" ? nil : given(name) }
                if given("mine") == "true" { filter.user = caller.identity.userID }
                let before = try given("before").map { text -> Int64 in
                    guard let number = Int64(text), number > 0 else { throw DomainError.invalid("The page link is out of date.") }
                    return number
                }
                runs = try history.described(try history.runs(inProject: id, filter, Page(limit: Self.pageSize, afterID: before)))
            } catch let error as DomainError where error.kind == .invalid {
                message = error.detail
            }
            let project = try history.project(id)
            var kept = request.raw.query.filter { !$0.value.isEmpty && $0.name != "before" }.map { ($0.name, $0.value) }
            if runs.count > Self.pageSize, let last = runs.prefix(Self.pageSize).last {
                kept.append(("before", String(last.run.id)))
            }
            return Pages.shared.render("runs", title: "Runs of \(project.name)", viewer: caller.viewer, [
                "project": ["id": project.id, "name": project.name] as [String: Any],
                "runs": runs.prefix(Self.pageSize).map { Self.row($0.run, by: $0.by) }, "has_runs": !runs.isEmpty,
                "statuses": ["completed", "failed", "running", "pending"].map { ["value": $0, "selected": $0 == filter.status] as [String: Any] },
                "q": given("q") ?? "", "mine": given("mine") == "true", "message": message ?? "",
                "older_url": runs.count > Self.pageSize ? "/projects/\(id)/runs?" + FormEncoding.encode(kept) : "",
            ], status: message == nil ? 200 : 422)
        }
    }

    func show(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request) { caller, connection, _ in
            let history = QueryRunHistory(caller: caller.identity, connection: connection)
            let run = try history.run(id)
            let by = try history.described([run]).first?.by
            let project = try history.project(run.projectID)
            var context = Self.row(run, by: by)
            context["project"] = ["id": project.id, "name": project.name] as [String: Any]
            context["full_sql"] = run.sql
            context["params"] = run.params.map(Pages.text) ?? ""
            context["error"] = run.error ?? ""
            context["started"] = run.startedAt.map { Pages.date($0) } ?? "—"
            context["finished"] = run.finishedAt.map { Pages.date($0) } ?? "—"
            return Pages.shared.render("run", title: "Run \(id)", viewer: caller.viewer, context)
        }
    }

    private static func row(_ run: QueryRun, by: String?) -> [String: Any] {
        ["id": run.id, "sql": run.sql.count > 100 ? String(run.sql.prefix(100)) + "…" : run.sql, "status": run.status,
         "by": by ?? "a removed user", "when": Pages.date(run.createdAt), "rows": run.rowCount.map(String.init) ?? "",
         "ms": run.durationMS.map(String.init) ?? "", "dry_run": run.dryRun, "url": "/runs/\(run.id)",
         "open_url": "/projects/\(run.projectID)/query?run=\(run.id)"]
    }
}
