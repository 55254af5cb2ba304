/// Every endpoint of the responder, registered in one place.
enum Routes {
    static func make(database: Database, dataDatabases: DataDatabases, verifier: TokenVerifier, files: JobFiles,
                     queries: QueryService, trashRetentionDays: Int = 30) -> Router {
        var router = Router()
        let authenticator = RequestAuthenticator(verifier: verifier, database: database)
        HealthController(database: database).register(in: &router)
        OpenAPIController().register(in: &router)
        MeController(authenticator: authenticator).register(in: &router)
        UserController(authenticator: authenticator).register(in: &router)
        ProjectController(authenticator: authenticator, databases: dataDatabases, accounts: queries.accounts).register(in: &router)
        DatasetController(authenticator: authenticator, databases: dataDatabases, accounts: queries.accounts).register(in: &router)
        TableController(authenticator: authenticator, databases: dataDatabases).register(in: &router)
        RowController(authenticator: authenticator, databases: dataDatabases).register(in: &router)
        RowChangeController(authenticator: authenticator, databases: dataDatabases).register(in: &router)
        TimeTravelController(authenticator: authenticator, databases: dataDatabases).register(in: &router)
        ImportController(authenticator: authenticator, databases: dataDatabases, files: files).register(in: &router)
        ExportController(authenticator: authenticator, databases: dataDatabases, files: files).register(in: &router)
        QueryController(authenticator: authenticator, service: queries).register(in: &router)
        HistoryController(authenticator: authenticator).register(in: &router)
        AuditController(authenticator: authenticator).register(in: &router)
        AuditVerifyController(authenticator: authenticator).register(in: &router)
        APITokenController(authenticator: authenticator).register(in: &router)
        SavedQueryController(authenticator: authenticator, service: queries).register(in: &router)
        TrashController(authenticator: authenticator, databases: dataDatabases, retentionDays: trashRetentionDays).register(in: &router)
        return router
    }

    /// The browser's pages and sign-in (HTML at the API's nouns without `/api/v1`).
    static func addPages(to router: inout Router, database: Database, dataDatabases: DataDatabases, queries: QueryService,
                         configuration: Configuration) {
        let provider = OIDCProvider.make(configuration)
        SignInController(database: database, provider: provider, settings: configuration.web).register(in: &router)
        if let provider, provider.isDevelopment {
            DevelopmentProvider(database: database, provider: provider,
                                issuer: DevelopmentIssuer(directory: configuration.auth.developmentDirectory)).register(in: &router)
        }
        let browser = BrowserAuthenticator(database: database)
        ProjectPages(browser: browser, accounts: queries.accounts, databases: dataDatabases,
                     retentionDays: configuration.trashRetentionDays).register(in: &router)
        DatasetPages(browser: browser, databases: dataDatabases, accounts: queries.accounts, retentionDays: configuration.trashRetentionDays).register(in: &router)
        HistoryPages(browser: browser, databases: dataDatabases).register(in: &router)
        let files = JobFiles(dataDirectory: configuration.dataDirectory)
        TablePages(browser: browser, databases: dataDatabases, accounts: queries.accounts, files: files, retentionDays: configuration.trashRetentionDays)
            .register(in: &router)
        RowPages(browser: browser, databases: dataDatabases, accounts: queries.accounts).register(in: &router)
        JobPages(browser: browser, databases: dataDatabases, files: files).register(in: &router)
        TimeTravelPages(browser: browser, databases: dataDatabases).register(in: &router)
        QueryPages(browser: browser, service: queries, databases: dataDatabases,
                   retentionDays: configuration.trashRetentionDays).register(in: &router)
        AdminPages(browser: browser).register(in: &router)
        RunPages(browser: browser).register(in: &router)
        TokenPages(browser: browser).register(in: &router)
    }
}
