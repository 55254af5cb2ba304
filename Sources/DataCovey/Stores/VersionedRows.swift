import MariaDB

/// Conditional writes to one tenant view, shared by the stores: an UPDATE or DELETE that carries
/// the expected version in its WHERE clause (no extra round trip when it matches), and an
/// explanation when it matched nothing — absent (404) or changed (412).
struct VersionedRows {
    let connection: MariaDBConnection
    /// The view's name: a trusted identifier from the store, never input.
    let view: String
    /// What the rows are called in messages ("project").
    let noun: String

    func currentVersion(_ id: Int64) throws -> Int64? {
        try connection.query("SELECT version FROM \(unsafeRaw: view) WHERE id = \(id)").first
            .map { try $0.decode(Int64.self, at: 0) }
    }

    /// Applies `assignments`; with none, only checks the row and the precondition.
    func update(_ id: Int64, _ assignments: [SQLQuery], expectedVersion: Int64?, name: String?) throws {
        guard !assignments.isEmpty else {
            guard let current = try currentVersion(id) else { throw DomainError.notFound() }
            return try VersionCheck.require(expectedVersion, current: current)
        }
        var query: SQLQuery = "UPDATE \(unsafeRaw: view) SET \(assignments.joined(separator: ", "))"
        query.append(" WHERE id = \(id)")
        if let expectedVersion { query.append(" AND version = \(expectedVersion)") }
        do {
            // The BEFORE UPDATE trigger bumps version, so a matched row always counts as changed.
            if try connection.execute(query).affectedRows == 0 { try explainMiss(id, expectedVersion) }
        } catch let error as MariaDBError where error.isDuplicateKey {
            throw nameTaken(name ?? "")
        }
    }

    func delete(_ id: Int64, expectedVersion: Int64?, whileReferenced: String) throws {
        var query: SQLQuery = "DELETE FROM \(unsafeRaw: view) WHERE id = \(id)"
        if let expectedVersion { query.append(" AND version = \(expectedVersion)") }
        do {
            if try connection.execute(query).affectedRows == 0 { try explainMiss(id, expectedVersion) }
        } catch let error as MariaDBError where error.isForeignKeyViolation {
            throw DomainError.conflict(whileReferenced)
        }
    }

    func nameTaken(_ name: String) -> DomainError {
        .conflict("A \(noun) named '\(name)' already exists here.", errors: [.init(field: "name", message: "is already taken")])
    }

    private func explainMiss(_ id: Int64, _ expectedVersion: Int64?) throws {
        guard let current = try currentVersion(id) else { throw DomainError.notFound() }
        try VersionCheck.require(expectedVersion, current: current)
        throw DomainError.conflict("The \(noun) changed while it was being written; try again.")
    }
}
