import MariaDB

/// Lookups of the object a request names, for `RequestAuthenticator.withCaller(target:)` and
/// `BrowserAuthenticator.page(target:)`: a caller whose role is too low gets 403 for their own
/// tenant's objects and 404 for any other id, exactly as a caller with the role would.
enum VisibleTarget {
    static func project(_ id: Int64) -> RequestAuthenticator.TargetLookup {
        { caller, connection in try ProjectStore(connection: connection, tenantID: caller.tenantID).find(id) != nil }
    }

    static func dataset(_ id: Int64) -> RequestAuthenticator.TargetLookup {
        { caller, connection in try DatasetStore(connection: connection, tenantID: caller.tenantID).find(id) != nil }
    }

    static func table(_ id: Int64, databases: DataDatabases) -> RequestAuthenticator.TargetLookup {
        { caller, connection in
            try TableStore(connection: connection, tenantID: caller.tenantID, databases: databases).dataset(ofTable: id) != nil
        }
    }

    static func user(_ id: Int64) -> RequestAuthenticator.TargetLookup {
        { caller, connection in try UserStore(connection: connection, tenantID: caller.tenantID).find(id) != nil }
    }
}

extension VisibleTarget {
    static func savedQuery(_ id: Int64) -> RequestAuthenticator.TargetLookup {
        { caller, connection in try SavedQueryStore(connection: connection, tenantID: caller.tenantID).find(id) != nil }
    }
}

extension VisibleTarget {
    static func importJob(_ id: Int64, databases: DataDatabases) -> RequestAuthenticator.TargetLookup {
        { caller, connection in try ImportOperations(caller: caller, connection: connection, databases: databases).isVisible(id) }
    }

    static func exportJob(_ id: Int64, databases: DataDatabases) -> RequestAuthenticator.TargetLookup {
        { caller, connection in try ExportOperations(caller: caller, connection: connection, databases: databases).isVisible(id) }
    }

    /// What a restore names: the object live or in the trash.
    static func restorable(_ kind: TrashKind, _ id: Int64, databases: DataDatabases) -> RequestAuthenticator.TargetLookup {
        { caller, connection in
            try TrashOperations(caller: caller, connection: connection, databases: databases).isVisible(kind, id, includingTrash: true)
        }
    }
}
