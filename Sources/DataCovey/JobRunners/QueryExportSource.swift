import Foundation
import MariaDB

/// The saved query an export runs, read by the worker from the base tables (so always with the
/// job's tenant named) and planned exactly as the responder plans a run.
struct QueryExportSource {
    let project: Int64
    let plan: QueryPlan

    static func load(tenant: Int64, query: Int64, params: JSONValue?, connection: MariaDBConnection) throws -> QueryExportSource {
        guard let row = try connection.query("""
            SELECT project_id, sql_text, parameters FROM datacovey.queries WHERE id = \(query) AND tenant_id = \(tenant) AND trash_id = 0
            """).first else {
            throw JobFailure(description: "The saved query no longer exists.")
        }
        let (project, sql, parameters) = try row.decode((Int64, String, String?).self)
        let declared = try QueryParameter.list(stored: parameters)
        do {
            let catalog = try QueryCatalog.load(project: project, tenant: tenant, baseTablesOn: connection)
            let plan = try QueryPlan.make(sql: sql, params: params,
                                          declared: declared,
                                          catalog: catalog)
            return QueryExportSource(project: project, plan: plan)
        } catch let error as DomainError {
            throw JobFailure(description: "The query cannot run any more: \(error.detail)")
        }
    }
}
