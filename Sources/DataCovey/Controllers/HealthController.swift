/// `GET /healthz` (the process answers) and `GET /readyz` (the database answers too, and how
/// many job workers are alive). A responder without a live worker still serves every request,
/// so /readyz stays 200 then (a load balancer must keep sending it traffic); the body says
/// `"workers": 0` with a warning, for monitoring to alert on.
struct HealthController: Sendable {
    let database: Database

    private struct Status: Encodable {
        let status: String
    }

    private struct Readiness: Encodable {
        let status: String
        let workers: Int
        let warnings: [String]
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
            let warnings = workers == 0 ? ["No job worker is alive: imports and exports wait until one runs."] : []
            return try .json(Readiness(status: "ready", workers: workers, warnings: warnings))
        }
    }
}
