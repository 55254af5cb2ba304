import Foundation
import MariaDB

/// `GET /{projects|datasets|tables|imports|exports|queries}/{id}/history` (every version, newest
/// first, each change shown as before → after, with a restore button per version for admins
/// where a version can be restored),
/// `GET /{projects|datasets|tables|queries}/{id}/restore` (a form: the version, a new name, and
/// for tables whether dropped columns may go), `POST /{…}/{id}/restore` (to the form's version,
/// or out of the trash without one; a refusal, such as a name taken since, comes back on that
/// form with what it needs) and `GET /trash`.
struct HistoryPages: Sendable {
    let browser: BrowserAuthenticator
    let databases: DataDatabases

    func register(in router: inout Router) {
        for kind in HistoryKind.allCases {
            router.add("GET", "/\(kind.rawValue)/{id:int}/history") { request in try history(kind, request) }
        }
        for kind in TrashKind.allCases {
            router.add("GET", "/\(kind.collection)/{id:int}/restore") { request in try restoreForm(kind, request) }
            router.add("POST", "/\(kind.collection)/{id:int}/restore") { request in try restore(kind, request) }
        }
        router.add("GET", "/trash", trash)
    }

    func history(_ kind: HistoryKind, _ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request) { caller, connection, _ in
            let entries = try HistoryOperations(connection: connection).versions(kind, id, Page(limit: Page.maximumLimit))
            // Jobs have versions but are not restored to one: a job is undone by its revert.
            let restorable = TrashKind(collection: kind.rawValue)
            guard let newest = entries.first else { throw DomainError.notFound() }
            // Named objects read "table orders"; jobs have no name and read "import 12".
            let named: String? = if case .object(let record) = newest.record, case .string(let text)? = record["name"] { text } else { nil }
            let name = named ?? "\(kind.noun) \(id)"
            let what = named.map { "\(kind.noun) \($0)" } ?? name
            let canRestore = caller.identity.role >= .admin && restorable != nil
            let versions = entries.enumerated().map { index, entry -> [String: Any] in
                let before: [String: JSONValue] = index + 1 < entries.count ? Self.fields(entries[index + 1].record) : [:]
                let now = Self.fields(entry.record)
                return [
                    "version": entry.version, "operation": Self.operationName(entry.operation),
                    "by": entry.changedBy?.email ?? (entry.changedBy == nil ? "system" : "a removed user"),
                    "when": Pages.date(entry.changedAt),
                    "changes": entry.changed.filter { $0 != "tenant_id" && $0 != "id" }.map { field -> [String: Any] in
                        ["field": field, "before": Self.text(before[field]), "after": Self.text(now[field]),
                         "has_before": before[field] != nil]
                    },
                    // Restoring the newest version would change nothing.
                    "restorable": index > 0 && entry.operation != "delete",
                ]
            }
            return Pages.shared.render("history", title: "History of \(name)", viewer: caller.viewer, [
                "what": what, "back_url": "/\(kind.rawValue)/\(id)", "back_name": name, "versions": versions,
                "can_restore": canRestore, "restore_url": "/\(kind.rawValue)/\(id)/restore",
            ])
        }
    }

    func restoreForm(_ kind: TrashKind, _ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request, minimum: .admin, target: VisibleTarget.restorable(kind, id, databases: databases)) { caller, connection, _ in
            let version = request.query("version").flatMap { Int64($0) }
            return try renderRestore(kind, id, caller, connection, RestoreInput(version: version, renameTo: nil, dropColumns: nil))
        }
    }

    func restore(_ kind: TrashKind, _ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request, minimum: .admin, target: VisibleTarget.restorable(kind, id, databases: databases)) { caller, connection, fields in
            let renameTo = (fields["rename_to"] ?? "").trimmingCharacters(in: .whitespaces)
            let input = RestoreInput(version: fields["version"].flatMap { Int64($0) }, renameTo: renameTo.isEmpty ? nil : renameTo,
                                     dropColumns: fields["drop_columns"] == "true")
            do {
                _ = try TrashOperations(caller: caller.identity, connection: connection, databases: databases)
                    .restore(kind, id, input, expectedVersion: nil)
            } catch let error as DomainError where error.kind == .conflict || error.kind == .invalid {
                return try renderRestore(kind, id, caller, connection, input, refusal: error)
            }
            return Response(status: 303, headers: [("Location", "/\(kind.collection)/\(id)")])
        }
    }

    /// The restore form, with a refusal said next to the field that answers it: a name taken
    /// since asks for a new name, columns the version lacks ask to confirm dropping them.
    private func renderRestore(_ kind: TrashKind, _ id: Int64, _ caller: BrowserAuthenticator.Caller, _ connection: MariaDBConnection,
                               _ input: RestoreInput, refusal: DomainError? = nil) throws -> Response {
        guard let (name, inTrash) = try TrashOperations(caller: caller.identity, connection: connection, databases: databases)
            .state(kind, id) else { throw DomainError.notFound() }
        let fields = Set((refusal?.fields ?? []).map(\.field))
        // The API's refusal says which body member to send; the page names its own field instead.
        var message = refusal?.detail
        var nameError = "", dropError = ""
        if let refusal, fields.contains("rename_to") {
            if refusal.kind == .conflict {
                message = Self.firstClause(refusal.detail, before: ";") + "; restore it under another name."
                nameError = "Choose a name that is not taken."
            } else {
                message = "The new name cannot be used."
                nameError = "The new name " + (refusal.fields.first { $0.field == "rename_to" }?.message ?? "is not valid") + "."
            }
        } else if let refusal, fields.contains("drop_columns") {
            message = Self.firstClause(refusal.detail, before: ". Send") + ". Tick the box to drop them."
            dropError = "Tick the box to confirm."
        }
        var context: [String: Any] = [
            "what": "\(kind.rawValue) \(name)", "name": name, "restore_url": "/\(kind.collection)/\(id)/restore",
            "back_url": inTrash ? "/trash" : "/\(kind.collection)/\(id)/history", "back_name": inTrash ? "Trash" : "History",
            "rename_to": input.renameTo ?? "", "name_error": nameError,
            "offers_drop": kind == .table && input.version != nil, "drop_checked": input.dropColumns ?? false,
            "drop_error": dropError,
        ]
        if let version = input.version { context["version"] = version }
        if let message { context["message"] = message }
        return Pages.shared.render("restore", title: "Restore \(name)", viewer: caller.viewer, context,
                                   status: refusal.map { HTTPError($0).status } ?? 200)
    }

    func trash(_ request: Request) throws -> Response {
        try browser.page(request) { caller, connection, _ in
            let trash = TrashOperations(caller: caller.identity, connection: connection, databases: databases)
            let entries = try trash.describe(try trash.list(kind: nil, Page(limit: Page.maximumLimit)))
            return Pages.shared.render("trash", title: "Trash", viewer: caller.viewer, [
                "entries": entries.map { described -> [String: Any] in
                    let entry = described.entry
                    return ["kind": entry.kind.rawValue, "name": entry.name, "deleted": Pages.date(entry.deletedAt),
                            "expires": Pages.date(entry.expiresAt), "by": described.deletedBy ?? "a removed user",
                            "from": described.parent.map { "\($0.kind.rawValue) \($0.name)" } ?? "",
                            "from_url": described.parent.map { "/\($0.kind.collection)/\($0.id)" } ?? "",
                            "restore_url": "/\(entry.kind.collection)/\(entry.id)/restore"]
                },
                "has_entries": !entries.isEmpty, "can_restore": caller.identity.role >= .admin,
            ])
        }
    }

    /// `text` up to `separator` (all of it when the separator is absent).
    private static func firstClause(_ text: String, before separator: String) -> String {
        text.range(of: separator).map { String(text[..<$0.lowerBound]) } ?? text
    }

    private static func fields(_ record: JSONValue) -> [String: JSONValue] {
        if case .object(let fields) = record { return fields }
        return [:]
    }

    private static func operationName(_ operation: String) -> String {
        switch operation {
        case "insert": "created or restored"
        case "delete": "deleted"
        default: "changed"
        }
    }

    /// A field's value as the page shows it; a table's columns as `name type` pairs.
    private static func text(_ value: JSONValue?) -> String {
        guard let value, value != .null else { return "(none)" }
        if case .array(let items) = value, !items.isEmpty, items.allSatisfy({ if case .object(let f) = $0 { f["name"] != nil && f["type"] != nil } else { false } }) {
            return items.map { item -> String in
                guard case .object(let fields) = item else { return "" }
                return [fields["name"], fields["type"]].compactMap { $0.map(Pages.text) }.joined(separator: " ")
            }.joined(separator: ", ")
        }
        return Pages.text(value)
    }
}
