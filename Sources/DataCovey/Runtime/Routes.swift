/// Every endpoint of the responder, registered in one place.
enum Routes {
    static func make(database: Database, dataDatabases: DataDatabases, verifier: TokenVerifier, files: JobFiles,
                     queries: QueryService, usersDefaultToLocalSubjects: Bool = true, trashRetentionDays: Int = 30) -> Router {
        var router = Router()
        let authenticator = RequestAuthenticator(verifier: verifier, database: database)
        HealthController(database: database).register(in: &router)
        OpenAPIController().register(in: &router)
        MeController(authenticator: authenticator).register(in: &router)
        UserController(authenticator: authenticator, defaultsSubject: usersDefaultToLocalSubjects).register(in: &router)
        ProjectController(authenticator: authenticator, accounts: queries.accounts).register(in: &router)
        DatasetController(authenticator: authenticator, databases: dataDatabases, accounts: queries.accounts).register(in: &router)
        TableController(authenticator: authenticator, databases: dataDatabases).register(in: &router)
        RowController(authenticator: authenticator, databases: dataDatabases).register(in: &router)
        ImportController(authenticator: authenticator, databases: dataDatabases, files: files).register(in: &router)
        ExportController(authenticator: authenticator, databases: dataDatabases, files: files).register(in: &router)
        QueryController(authenticator: authenticator, service: queries).register(in: &router)
        HistoryController(authenticator: authenticator).register(in: &router)
        AuditController(authenticator: authenticator).register(in: &router)
        SavedQueryController(authenticator: authenticator, service: queries).register(in: &router)
        TrashController(authenticator: authenticator, databases: dataDatabases, retentionDays: trashRetentionDays).register(in: &router)
        return router
    }
}
