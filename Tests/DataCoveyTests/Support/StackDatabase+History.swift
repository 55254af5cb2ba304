import MariaDB

extension StackDatabase {
    /// How many history versions a tenant's objects have in all: unchanged means nothing was written.
    func historyVersions(of tenant: TenantFixture) throws -> Int64 {
        let ops = try ops()
        defer { ops.close() }
        return try ["user", "project", "dataset", "table", "table_column", "query", "api_token"].reduce(0) { total, kind in
            total + (try ops.scalar("SELECT COUNT(*) FROM \(unsafeRaw: kind)_history WHERE tenant_id = \(tenant.tenantID)") ?? 0)
        }
    }
}
