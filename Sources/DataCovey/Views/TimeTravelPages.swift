import Foundation
import MariaDB

/// Time travel in the browser: the table page's "as of" field (a GET form: the data tab shows
/// the table as it was, marked and read-only, with "restore the table to this time" for
/// admins), a row's history with a Restore button per version
/// (`GET /tables/{id}/rows/{key}/history`, `POST …/rows/{key}/restore`, users), and the
/// table restore (`POST /tables/{id}/rows/restore`, admins). The same use cases as the API.
struct TimeTravelPages: Sendable {
    let browser: BrowserAuthenticator
    let databases: DataDatabases

    func register(in router: inout Router) {
        router.add("GET", "/tables/{id:int}/rows/{key}/history", history)
        router.add("POST", "/tables/{id:int}/rows/{key}/restore", restoreRow)
        router.add("POST", "/tables/{id:int}/rows/restore", restoreTable)
    }

    /// A key as a path segment.
    static func pathSegment(_ text: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#%;")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    func history(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        let key = try request.parameters.string("key")
        return try browser.page(request, target: VisibleTarget.table(id, databases: databases)) { caller, connection, _ in
            try render(id, key: key, caller, connection, notice: request.query("restored").map { "The row was restored as of \($0)." })
        }
    }

    private func render(_ id: Int64, key: String, _ caller: BrowserAuthenticator.Caller, _ connection: MariaDBConnection,
                        notice: String? = nil, error: String? = nil, status: Int = 200) throws -> Response {
        let travel = TimeTravelOperations(caller: caller.identity, connection: connection, databases: databases)
        let (table, _) = try TableOperations(caller: caller.identity, connection: connection, databases: databases).find(id)
        let history = try travel.history(ofTable: id, key: key)
        let users = UserStore(connection: connection, tenantID: caller.identity.tenantID)
        var names: [Int64: String] = [:]
        func who(_ change: TimeTravelOperations.Change?) -> String {
            guard let change else { return "unknown" }
            var text = change.importID.map { "import \($0)" } ?? change.operation
            if let actor = change.actorUserID {
                if names[actor] == nil { names[actor] = (try? users.find(actor)).flatMap { $0.map { $0.name ?? $0.email } } ?? "user \(actor)" }
                text += " by \(names[actor] ?? "")"
            }
            return text
        }
        let kinds = history.store.columns.map { $0.type.kind.cellKind }
        let context: [String: Any] = [
            "table": ["id": table.id, "name": table.name] as [String: Any],
            "key": key, "key_column": history.key.column.name,
            "columns": history.store.columns.map { ["name": $0.name] },
            "versions": history.versions.enumerated().map { index, entry -> [String: Any] in
                let from = AsOf(instant: entry.version.validFrom).text
                return ["index": index + 1, "valid_from": from, "valid_to": entry.version.validTo.map { AsOf(instant: $0).text } ?? "now",
                        "current": entry.version.validTo == nil, "who": who(entry.change),
                        "cells": zip(kinds, entry.version.cells).map { CellDisplay.context(CellDisplay.tableCell($1, kind: $0)) }]
            },
            "has_versions": !history.versions.isEmpty,
            "restore_url": "/tables/\(id)/rows/\(Self.pathSegment(key))/restore",
            "can_restore": caller.identity.role >= .user,
            "notice": notice ?? "", "error": error ?? "",
        ]
        return Pages.shared.render("row_history", title: "History of a row of \(table.name)", viewer: caller.viewer, context, status: status)
    }

    func restoreRow(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        let key = try request.parameters.string("key")
        return try browser.page(request, minimum: .user, target: VisibleTarget.table(id, databases: databases)) { caller, connection, form in
            let travel = TimeTravelOperations(caller: caller.identity, connection: connection, databases: databases)
            do {
                let (asOf, _) = try travel.restoreRow(ofTable: id, key: key, asOf: form["as_of"])
                let query = FormEncoding.encode([("restored", asOf.text)])
                return Response(status: 303, headers: [("Location", "/tables/\(id)/rows/\(Self.pathSegment(key))/history?\(query)")])
            } catch let error as DomainError where [.invalid, .unprocessable, .conflict, .gone].contains(error.kind) {
                return try render(id, key: key, caller, connection, error: error.detail, status: HTTPError(error).status)
            }
        }
    }

    func restoreTable(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request, minimum: .admin, target: VisibleTarget.table(id, databases: databases)) { caller, connection, form in
            let travel = TimeTravelOperations(caller: caller.identity, connection: connection, databases: databases)
            let (asOf, restored) = try travel.restoreTable(id, asOf: form["as_of"])
            let query = FormEncoding.encode([("tab", "data"), ("restored", asOf.text),
                                             ("changed", String(restored.deleted + restored.inserted))])
            return Response(status: 303, headers: [("Location", "/tables/\(id)?\(query)#data")])
        }
    }
}

extension TablePages {
    /// The data tab's "as of" part: the field as typed, whether the view is in the past (then
    /// marked, read-only, with the admins' restore form), and a refusal said beside the field.
    /// Answers the instant the rows are read at.
    static func asOfContext(_ view: TableDataView, _ caller: BrowserAuthenticator.Caller, _ connection: MariaDBConnection,
                            databases: DataDatabases, table: DataTable, into context: inout [String: Any]) throws -> AsOf? {
        context["as_of_value"] = view.asOf ?? ""
        var plain = view
        plain.asOf = nil
        context["now_url"] = plain.link(cursor: .some(nil), back: [])
        let keys = table.columns.filter(\.primaryKey)
        if keys.count == 1 { context["key_column"] = keys[0].name }
        var asOf: AsOf?
        do {
            asOf = try TimeTravelOperations(caller: caller.identity, connection: connection, databases: databases).asOf(view.asOf)
        } catch let error as DomainError where [.invalid, .unprocessable, .gone].contains(error.kind) {
            context["as_of_error"] = error.detail
            // Nothing is shown rather than the present under a past label.
            context["as_of_active"] = true
            context["as_of_refused"] = true
            return nil
        }
        if let asOf {
            context["as_of_active"] = true
            context["as_of_text"] = asOf.text
            context["can_restore_table"] = caller.identity.role >= .admin
        }
        return asOf
    }

    /// The link to a row's history from a row of the data tab (tables with a one-column key).
    static func historyLink(table: Int64, keyCell: MariaDBCell) -> String? {
        let text: String
        switch keyCell {
        case .int(let number): text = String(number)
        case .uint(let number): text = String(number)
        case .bytes(let bytes, isBinary: false): text = String(decoding: bytes, as: UTF8.self)
        default: return nil
        }
        guard !text.isEmpty else { return nil }
        return "/tables/\(table)/rows/\(TimeTravelPages.pathSegment(text))/history"
    }
}
