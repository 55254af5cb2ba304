/// `GET /healthz` (the process answers) and `GET /readyz` (the database answers too, and how
/// many job workers are alive). A responder without a live worker still serves every request,
/// so /readyz stays 200 then (a load balancer must keep sending it traffic); the body says
/// `"workers": 0` with a warning, for monitoring to alert on. `database_nodes` counts the
/// configured nodes (`DATACOVEY_DB_HOSTS`, or the one server) and those usable now (answering,
/// and Synced when they run Galera); ready while one is, with a warning when some are not.
struct HealthController: Sendable {
    let database: Database

    private struct Status: Encodable {
        let status: String
    }

    private struct Readiness: Encodable {
        let status: String
        let workers: Int
        let databaseNodes: Nodes
        let warnings: [String]

        struct Nodes: Encodable {
            let configured: Int
            let usable: Int
        }
    }

    func register(in router: inout Router) {
        router.add("GET", "/healthz") { _ in
            try .json(Status(status: "ok"))
        }
        router.add("GET", "/readyz") { _ in
            let workers: Int
            do {
                workers = try database.liveWorkers()
            } catch {
                throw HTTPError.unavailable("The database is not reachable.")
            }
            let nodes = database.databaseNodes()
            guard nodes.usable > 0 else { throw HTTPError.unavailable("No database node is usable.") }
            var warnings = workers == 0 ? ["No job worker is alive: imports and exports wait until one runs."] : []
            if nodes.usable < nodes.configured {
                let down = nodes.configured - nodes.usable
                warnings.append("\(down) of \(nodes.configured) database nodes \(down == 1 ? "is" : "are") not usable.")
            }
            return try .json(Readiness(status: "ready", workers: workers,
                                       databaseNodes: .init(configured: nodes.configured, usable: nodes.usable),
                                       warnings: warnings))
        }
    }
}
