import MariaDB

/// Whether the caller's tenant's history chains hold (sql/0024, 0026), for `GET /api/v1/audit/verify`:
/// read through the tenant views on the caller's scoped connection.
enum HistoryChainCheck {
    static func verify(tenantID: Int64, on connection: MariaDBConnection) throws -> HistoryChain.Report {
        try HistoryChainStore(connection: connection).verifySessionTenant(tenantID)
    }
}
