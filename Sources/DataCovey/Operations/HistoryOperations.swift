import MariaDB

/// Every version of an object, newest first, for the API and the history pages: readable by
/// anyone of its tenant, also after a delete (the history views are tenant-scoped).
struct HistoryOperations {
    let connection: MariaDBConnection

    /// Not found when the tenant never had the object.
    func versions(_ kind: HistoryKind, _ id: Int64, _ page: Page) throws -> [HistoryEntry] {
        guard let entries = try HistoryStore(connection: connection).list(kind, id: id, page) else { throw DomainError.notFound() }
        return entries
    }
}
