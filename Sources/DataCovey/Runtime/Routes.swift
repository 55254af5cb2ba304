/// Every endpoint of the responder, registered in one place.
enum Routes {
    static func make(database: Database) -> Router {
        var router = Router()
        HealthController(database: database).register(in: &router)
        return router
    }
}
