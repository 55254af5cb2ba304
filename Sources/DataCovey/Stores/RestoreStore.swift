import Foundation
import MariaDB

/// The body of `POST /api/v1/{projects|datasets|tables|queries}/{id}/restore`.
struct RestoreInput: Decodable, Sendable {
    static let fields: Set<String> = ["version", "rename_to", "drop_columns"]
    /// The version whose fields come back; nil brings a trashed object back as it was.
    let version: Int64?
    /// A new name, when the object's name has been taken since.
    let renameTo: String?
    /// Confirms that a table restore may drop columns (and their data).
    let dropColumns: Bool?
}

/// Restores: a trashed object comes back whole, a version's fields come back, or both at once;
/// either way the restore is one new version of the object.
struct RestoreStore {
    let connection: MariaDBConnection
    let tenantID: Int64
    let databases: DataDatabases

    private var trash: TrashStore { TrashStore(connection: connection, tenantID: tenantID, databases: databases) }

    /// Restores and answers the object's id; 404 for an object or version the caller cannot
    /// see, 412 on a stale `If-Match`, 409 when a parent is trashed, the name is taken, or
    /// (tables) columns would be dropped without `drop_columns`.
    func restore(_ kind: TrashKind, id: Int64, _ input: RestoreInput, expectedVersion: Int64?) throws {
        if let renameTo = input.renameTo { try NameRules.validate(renameTo, field: "rename_to") }
        try connection.withTransaction { connection in
            let parent = kind.parentColumn ?? "NULL"
            guard let row = try connection.query("""
                SELECT name, \(unsafeRaw: parent), version, trash_id FROM \(unsafeRaw: kind.viewWithTrash) WHERE id = \(id) FOR UPDATE
                """).first else { throw DomainError.notFound() }
            let (name, parentID, version, trashID) = try row.decode((String, Int64?, Int64, Int64).self)
            try VersionCheck.require(expectedVersion, current: version)

            var assignments: [SQLQuery] = []
            var restoredName = name
            if let target = input.version {
                let image = try versionImage(of: kind, id: id, version: target)
                assignments = try Self.assignments(kind, image)
                if case .string(let imageName)? = image["name"] { restoredName = imageName }
            }
            if let renameTo = input.renameTo {
                assignments.append("name = \(renameTo)")
                restoredName = renameTo
            }

            do {
                if trashID != 0 {
                    try checkRestorable(kind, id: id, trashID: trashID, parentID: parentID)
                    var update: SQLQuery = "UPDATE \(unsafeRaw: kind.viewWithTrash) SET trash_id = 0"
                    for assignment in assignments { update.append(", "); update.append(assignment) }
                    update.append(" WHERE id = \(id)")
                    try trash.clear(trashID, restoring: update, on: connection)
                } else {
                    guard !assignments.isEmpty else {
                        throw DomainError.conflict("The \(kind.rawValue) is not in the trash; send the version to restore.",
                                                 errors: [.init(field: "version", message: "is required for an object that is not in the trash")])
                    }
                    var update: SQLQuery = "UPDATE \(unsafeRaw: kind.view) SET "
                    for (index, assignment) in assignments.enumerated() {
                        if index > 0 { update.append(", ") }
                        update.append(assignment)
                    }
                    update.append(" WHERE id = \(id)")
                    try connection.execute(update)
                }
            } catch let error as MariaDBError where error.isDuplicateKey {
                throw DomainError.conflict(
                    "A \(kind.rawValue) named '\(restoredName)' exists here now; restore with \"rename_to\" and another name.",
                    errors: [.init(field: "rename_to", message: "is needed: the name '\(restoredName)' is taken")])
            }
            if kind == .table, let target = input.version {
                try restoreColumns(table: id, version: target, dropColumns: input.dropColumns ?? false)
            }
        }
    }

    /// Only the object a delete named comes back on its own, and only under a live parent.
    private func checkRestorable(_ kind: TrashKind, id: Int64, trashID: Int64, parentID: Int64?) throws {
        guard let entry = try trash.entry(trashID) else { throw DomainError.bug("trash entry \(trashID) is missing") }
        guard entry.kind == kind, entry.id == id else {
            throw DomainError.conflict("The \(kind.rawValue) was deleted with its \(entry.kind.rawValue) '\(entry.name)' (id \(entry.id)); restore that \(entry.kind.rawValue).")
        }
        guard let parentKind = kind.parentKind, let parentID else { return }
        if let parent = try connection.query("""
            SELECT name, trash_id FROM \(unsafeRaw: parentKind.viewWithTrash) WHERE id = \(parentID)
            """).first {
            let (parentName, parentTrash) = try parent.decode((String, Int64).self)
            if parentTrash != 0 {
                throw DomainError.conflict("Its \(parentKind.rawValue) '\(parentName)' (id \(parentID)) is in the trash; restore the \(parentKind.rawValue) first.")
            }
        }
    }

    /// Assignments that write a version's editable fields back. The image is read through the
    /// tenant's history view and must describe this very object: a history row that names
    /// another id or tenant is treated as absent, and ids, tenants and parents are never copied.
    private func versionImage(of kind: TrashKind, id: Int64, version: Int64) throws -> [String: JSONValue] {
        guard let image = try connection.query("""
            SELECT row_image FROM \(unsafeRaw: kind.historyKind.view) WHERE entity_id = \(id) AND version = \(version)
            """).first.map({ try $0.decode(String.self, at: 0) }),
              case .object(let record) = try StoredJSON.decode(JSONValue.self, from: image),
              record["id"] == .integer(id), record["tenant_id"] == .integer(tenantID) else {
            throw DomainError.notFound(detail: "The \(kind.rawValue) has no version \(version).")
        }
        return record
    }

    private static func assignments(_ kind: TrashKind, _ record: [String: JSONValue]) throws -> [SQLQuery] {
        try kind.restoredFields.map { field in
            switch record[field] {
            case .string(let text)?: return "\(unsafeRaw: field) = \(text)"
            case .null?, nil: return "\(unsafeRaw: field) = NULL"
            case let value?:
                // JSON columns (a query's parameters) come back as their JSON text.
                return "\(unsafeRaw: field) = \(String(decoding: try JSON.encode(value), as: UTF8.self))"
            }
        }
    }

    private func restoreColumns(table: Int64, version: Int64, dropColumns: Bool) throws {
        let columns = TableVersionColumns(connection: connection)
        let changes = try TableVersionColumns.changes(from: try columns.current(table: table),
                                                      to: try columns.columns(table: table, version: version),
                                                      version: version, dropColumns: dropColumns)
        guard !changes.isEmpty else { return }
        let physical = try connection.query("""
            SELECT d.data_database, t.physical_name FROM dataset_tables t JOIN datasets d ON d.id = t.dataset_id
             WHERE t.id = \(table) AND t.physical_name IS NOT NULL AND d.data_database IS NOT NULL
            """).first.map { row -> (database: String, table: String) in
            let (database, name) = try row.decode((String, String).self)
            return (database, name)
        }
        try columns.apply(changes, table: table, tenant: tenantID, physical: physical, databases: databases)
    }
}
