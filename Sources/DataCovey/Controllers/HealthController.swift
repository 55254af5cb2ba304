/// `GET /healthz` (the process answers) and `GET /readyz` (the database answers too).
struct HealthController: Sendable {
    let database: Database

    private struct Status: Encodable {
        let status: String
    }

    func register(in router: inout Router) {
        router.add("GET", "/healthz") { _ in
            try .json(Status(status: "ok"))
        }
        router.add("GET", "/readyz") { _ in
            do {
                try database.checkReachable()
            } catch {
                throw HTTPError.unavailable("The database is not reachable.")
            }
            return try .json(Status(status: "ready"))
        }
    }
}
