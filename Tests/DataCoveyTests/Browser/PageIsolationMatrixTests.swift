import DataCovey
import Foundation
import MariaDB
import TestSupport
import XCTest

/// The pages' counterpart of `IsolationMatrixTests`: a browser signed in as admin, user and
/// viewer of one tenant × every page route that names a tenant's object, through nginx. With the
/// other tenant's ids every answer is the "Not found" page (DESIGN §5: another tenant's resource
/// is 404, whatever the caller's role) and nothing of theirs changes; with the caller's own ids
/// the same pages are served, so the matrix cannot pass by everything being 404.
final class PageIsolationMatrixTests: XCTestCase {
    typealias World = IsolationMatrixTests.World

    struct PageRoute {
        let method: String
        /// The router's pattern, to check that the matrix covers every route.
        let pattern: String
        let path: (World) -> String
        /// Fields a POST sends besides `csrf_token`: no `version`, so a page that let the request
        /// through would change the object unconditionally, and the snapshot would show it.
        var form: [(String, String)] = []
        /// A file to send as a multipart upload (the table's import form), with `form` as its fields.
        var file: (name: String, content: String)? = nil
        /// The lowest role the page serves; lower roles get 403 for their own tenant's objects.
        var minimum = Role.viewer
        /// What an admin gets for their own tenant's object (GETs, the positive control).
        var ownStatus = 200

        func send(_ browser: BrowserClient, csrf: String, _ world: World) throws -> HTTPTestClient.Response {
            let path = path(world)
            if method == "GET" { return try browser.get(path) }
            let fields = [("csrf_token", csrf)] + form
            if let file { return try browser.post(path, multipart: fields, file: file) }
            return try browser.post(path, form: fields)
        }
    }

    private static func unique() -> String { String(UInt32.random(in: 0..<UInt32.max), radix: 36) }

    private static func get(_ pattern: String, minimum: Role = .viewer, ownStatus: Int = 200,
                            _ path: @escaping (World) -> String) -> PageRoute {
        PageRoute(method: "GET", pattern: pattern, path: path, minimum: minimum, ownStatus: ownStatus)
    }

    private static func post(_ pattern: String, _ form: [(String, String)] = [], minimum: Role = .user,
                             _ path: @escaping (World) -> String) -> PageRoute {
        PageRoute(method: "POST", pattern: pattern, path: path, form: form, minimum: minimum)
    }

    /// Every page route that names a tenant's object, with a request a user of its tenant could send.
    static func routes() -> [PageRoute] {
        let named = [("name", "x_\(unique())"), ("description", "changed")]
        var routes = [
            get("/projects/{id:int}") { "/projects/\($0.project)" },
            post("/projects/{id:int}/datasets", named) { "/projects/\($0.project)/datasets" },
            post("/projects/{id:int}/edit", named) { "/projects/\($0.project)/edit" },
            post("/projects/{id:int}/delete") { "/projects/\($0.emptyProject)/delete" },
            get("/datasets/{id:int}") { "/datasets/\($0.dataset)" },
            post("/datasets/{id:int}/edit", named) { "/datasets/\($0.dataset)/edit" },
            post("/datasets/{id:int}/delete") { "/datasets/\($0.emptyDataset)/delete" },
            post("/datasets/{id:int}/tables", named + [("col_name_1", "id"), ("col_type_1", "int64")]) { "/datasets/\($0.dataset)/tables" },
            get("/tables/{id:int}") { "/tables/\($0.table)" },
            get("/tables/{id:int}/view.csv") { "/tables/\($0.table)/view.csv" },
            get("/tables/{id:int}/view.json") { "/tables/\($0.table)/view.json" },
            PageRoute(method: "POST", pattern: "/tables/{id:int}/import", path: { "/tables/\($0.table)/import" },
                      form: [("mode", "replace"), ("confirm_replace", "yes")], file: ("rows.csv", "id,note\n99,replaced\n"), minimum: .user),
            post("/tables/{id:int}/export", [("format", "csv")]) { "/tables/\($0.table)/export" },
            post("/tables/{id:int}/rows", [("set.id", "value"), ("value.id", "99"), ("set.note", "value"), ("value.note", "added")]) {
                "/tables/\($0.table)/rows"
            },
            post("/tables/{id:int}/columns", [("column_name", "c_\(unique())"), ("column_type", "string"),
                                              ("rename_from", "note"), ("rename_to", "renamed")]) { "/tables/\($0.table)/columns" },
            post("/tables/{id:int}/edit", named) { "/tables/\($0.table)/edit" },
            // Row 1 of the world's table is its first row ("secret"); an edit or delete that got
            // through would show in the rows (snapshot).
            get("/tables/{id:int}/rows/{row:int}/edit", minimum: .user) { "/tables/\($0.table)/rows/\($0.rowID)/edit" },
            post("/tables/{id:int}/rows/{row:int}/edit", [("set.note", "value"), ("value.note", "edited")]) { "/tables/\($0.table)/rows/\($0.rowID)/edit" },
            get("/tables/{id:int}/rows/{row:int}/delete", minimum: .user) { "/tables/\($0.table)/rows/\($0.rowID)/delete" },
            post("/tables/{id:int}/rows/{row:int}/delete") { "/tables/\($0.table)/rows/\($0.rowID)/delete" },
            post("/tables/{id:int}/delete") { "/tables/\($0.table)/delete" },
            // Time travel (issue 15): a row's history page and the restores (to a second ago).
            get("/tables/{id:int}/rows/{key}/history") { "/tables/\($0.table)/rows/1/history" },
            post("/tables/{id:int}/rows/{key}/restore", [("as_of", Timestamp.format(Date().addingTimeInterval(-1)))]) {
                "/tables/\($0.table)/rows/1/restore"
            },
            post("/tables/{id:int}/rows/restore", [("as_of", Timestamp.format(Date().addingTimeInterval(-1)))], minimum: .admin) {
                "/tables/\($0.table)/rows/restore"
            },
            get("/imports/{id:int}") { "/imports/\($0.importJob)" },
            // The world's import has completed: a cancel that got through would be refused (409),
            // a revert would remove its row.
            post("/imports/{id:int}/cancel") { "/imports/\($0.importJob)/cancel" },
            post("/imports/{id:int}/revert", [("confirm", "yes")], minimum: .admin) { "/imports/\($0.importJob)/revert" },
            get("/imports/{id:int}/rejects.csv") { "/imports/\($0.importJob)/rejects.csv" },
            get("/exports/{id:int}") { "/exports/\($0.exportJob)" },
            post("/exports/{id:int}/cancel") { "/exports/\($0.exportJob)/cancel" },
            get("/exports/{id:int}/download") { "/exports/\($0.exportJob)/download" },
            get("/projects/{id:int}/query") { "/projects/\($0.project)/query" },
            // A run that got through would show in the project's run history (snapshot).
            post("/projects/{id:int}/query", [("sql", "SELECT 1 AS one")], minimum: .viewer) { "/projects/\($0.project)/query" },
            post("/projects/{id:int}/queries", [("sql", "SELECT 1 AS one"), ("save_name", "q_\(unique())")]) {
                "/projects/\($0.project)/queries"
            },
            get("/queries/{id:int}", ownStatus: 303) { "/queries/\($0.savedQuery)" },
            post("/queries/{id:int}/edit", [("sql", "SELECT 2 AS two"), ("save_name", "q_\(unique())")]) { "/queries/\($0.savedQuery)/edit" },
            post("/queries/{id:int}/delete") { "/queries/\($0.savedQuery)/delete" },
            post("/queries/{id:int}/export", [("export_format", "csv")]) { "/queries/\($0.savedQuery)/export" },
            get("/projects/{id:int}/runs") { "/projects/\($0.project)/runs" },
            get("/runs/{id:int}") { "/runs/\($0.run)" },
            post("/users/{id:int}/role", [("role", "admin")], minimum: .admin) { "/users/\($0.member)/role" },
            post("/users/{id:int}/name", [("name", "Renamed")], minimum: .admin) { "/users/\($0.member)/name" },
            post("/users/{id:int}/access", [("disabled", "true")], minimum: .admin) { "/users/\($0.member)/access" },
            post("/users/{id:int}/delete", minimum: .admin) { "/users/\($0.member)/delete" },
            post("/tokens/{id:int}/revoke", minimum: .admin) { "/tokens/\($0.token)/revoke" },
        ]
        // The objects whose history has a page, and those a restore form names.
        let histories: [(collection: String, id: (World) -> Int)] = [
            ("projects", \.project), ("datasets", \.dataset), ("tables", \.table), ("imports", \.importJob), ("exports", \.exportJob),
            ("queries", \.savedQuery),
        ]
        let restorable: Set<String> = ["projects", "datasets", "tables", "queries"]
        for (collection, id) in histories {
            routes.append(get("/\(collection)/{id:int}/history") { "/\(collection)/\(id($0))/history" })
            guard restorable.contains(collection) else { continue }
            routes.append(get("/\(collection)/{id:int}/restore", minimum: .admin) { "/\(collection)/\(id($0))/restore?version=1" })
            routes.append(post("/\(collection)/{id:int}/restore", [("version", "1"), ("rename_to", "r_\(unique())"), ("drop_columns", "true")],
                               minimum: .admin) {
                "/\(collection)/\(id($0))/restore"
            })
        }
        return routes
    }

    /// Page routes that name no tenant object: the caller's own tenant is implied (lists, the
    /// create forms, the admin's users, tokens and audit pages) or there is no tenant yet (sign-in
    /// and the development provider's authorize and token endpoints).
    private static let tenantless: Set<String> = [
        "GET /", "GET /login", "GET /auth/start", "GET /auth/callback", "POST /logout",
        "GET /auth/dev/authorize", "POST /auth/dev/token",
        "GET /projects", "POST /projects", "GET /trash", "GET /users", "POST /users", "GET /audit", "GET /audit.csv",
        "GET /tokens", "POST /tokens",
    ]

    func testTheMatrixCoversEveryPageRoute() throws {
        let routed = Set(try ServedRoutes.pages().map { "\($0.method) \($0.pattern)" })
        let covered = Set(Self.routes().map { "\($0.method) \($0.pattern)" })
        XCTAssertEqual(routed.subtracting(Self.tenantless).subtracting(covered).sorted(), [], "page routes missing from the matrix")
        XCTAssertEqual(covered.union(Self.tenantless).subtracting(routed).sorted(), [], "matrix entries the router does not serve")
        XCTAssertEqual(covered.intersection(Self.tenantless).sorted(), [], "a route is either covered or exempt")
    }

    func testEveryRoleGets404PagesForAnotherTenantsIdsAndNothingChanges() throws {
        let db = try StackDatabase.require()
        let (mine, theirs) = try db.makeTwoTenants("pagematrix")
        let owner = try db.caller(theirs, .admin)
        let foreign = try World.make(owner)
        let before = try Self.snapshot(owner, foreign)

        var checked = 0
        for role in [Role.admin, .user, .viewer] {
            let (browser, csrf) = try signedIn(db, mine, role)
            for route in Self.routes() {
                let response = try route.send(browser, csrf: csrf, foreign)
                let label = "\(role) \(route.method) \(route.path(foreign))"
                XCTAssertEqual(response.status, 404, "\(label): \(response.text.prefix(400))")
                XCTAssertEqual(response.headers["content-type"], "text/html; charset=utf-8", label)
                XCTAssertTrue(response.text.contains("<h1>Not found</h1>"), label)
                XCTAssertFalse(response.text.contains("secret"), "\(label): no foreign data in the page")
                checked += 1
            }
        }
        XCTAssertEqual(checked, 3 * Self.routes().count)
        XCTAssertEqual(try Self.snapshot(owner, foreign), before, "the other tenant's objects are exactly as they were")
    }

    /// The positive control: an admin's own objects are served by the same GET requests.
    func testTheSamePagesServeTheCallersOwnObjects() throws {
        let db = try StackDatabase.require()
        let (mine, _) = try db.makeTwoTenants("pageown")
        let own = try World.make(try db.caller(mine, .admin))
        let (browser, csrf) = try signedIn(db, mine, .admin)
        for route in Self.routes() where route.method == "GET" {
            let response = try route.send(browser, csrf: csrf, own)
            XCTAssertEqual(response.status, route.ownStatus, "GET \(route.path(own)): \(response.text.prefix(400))")
        }
    }

    /// Ids in a query string or a form field name objects too: the caller's own editor opens
    /// none of another tenant's runs or saved queries, and runs nothing as theirs.
    func testTheEditorOpensNoneOfAnotherTenantsRunsOrSavedQueries() throws {
        let db = try StackDatabase.require()
        let (mine, theirs) = try db.makeTwoTenants("pageparams")
        let owner = try db.caller(theirs, .admin)
        let foreign = try World.make(owner)
        let query = try owner.call("GET", "/api/v1/queries/\(foreign.savedQuery)").json()
        let (name, sql) = (try XCTUnwrap(query["name"] as? String), try XCTUnwrap(query["sql"] as? String))
        let project = try db.caller(mine, .admin).call("POST", "/api/v1/projects", json: ["name": "p"]).json()["id"] as? Int ?? 0
        let (browser, csrf) = try signedIn(db, mine, .admin)
        let before = try Self.snapshot(owner, foreign)

        let run = try browser.get("/projects/\(project)/query?run=\(foreign.run)")
        XCTAssertEqual(run.status, 404)
        XCTAssertTrue(run.text.contains("<h1>Not found</h1>"))
        // Not this project's saved query: the editor opens empty, as for an id nobody has.
        let saved = try browser.get("/projects/\(project)/query?saved=\(foreign.savedQuery)")
        XCTAssertEqual(saved.status, 200)
        let posted = try browser.post("/projects/\(project)/query",
                                      form: [("csrf_token", csrf), ("sql", "SELECT 1 AS one"), ("saved", "\(foreign.savedQuery)")])
        XCTAssertEqual(posted.status, 200)
        for page in [run, saved, posted] {
            XCTAssertFalse(page.text.contains(name), "their saved query's name")
            XCTAssertFalse(page.text.contains(sql), "their SQL")
        }
        XCTAssertEqual(try Self.snapshot(owner, foreign), before)
    }

    /// The other half of the 403/404 rule: a role too low for a page gets 403 "Not allowed" for
    /// its own tenant's objects (not 404), and the refused form writes nothing.
    func testLowerRolesAreRefusedTheirOwnTenantsObjectsAndNothingChanges() throws {
        let db = try StackDatabase.require()
        let (mine, _) = try db.makeTwoTenants("pagerefused")
        let admin = try db.caller(mine, .admin)
        let own = try World.make(admin)
        // Signed in first: each sign-in adds a user to the tenant, which the snapshot lists.
        let browsers = try [Role.user, .viewer].map { role in (role, try signedIn(db, mine, role)) }
        let before = try Self.snapshot(admin, own)
        var refused = 0
        for (role, (browser, csrf)) in browsers {
            for route in Self.routes() where route.minimum > role {
                let response = try route.send(browser, csrf: csrf, own)
                let label = "\(role) \(route.method) \(route.path(own))"
                XCTAssertEqual(response.status, 403, "\(label): \(response.text.prefix(400))")
                XCTAssertTrue(response.text.contains("<h1>Not allowed</h1>"), label)
                refused += 1
            }
        }
        XCTAssertEqual(refused, Self.routes().filter { $0.minimum > .user }.count + Self.routes().filter { $0.minimum > .viewer }.count)
        XCTAssertEqual(try Self.snapshot(admin, own), before, "a refused form changes nothing")
    }

    /// A browser signed in as a new user of `tenant` with `role` (its admin for `.admin`), and
    /// the session's CSRF token as the pages' forms carry it.
    private func signedIn(_ db: StackDatabase, _ tenant: TenantFixture, _ role: Role) throws -> (BrowserClient, String) {
        let userID = try db.caller(tenant, role).userID
        let ops = try db.ops()
        defer { ops.close() }
        let subject = try ops.query("SELECT auth0_sub FROM users WHERE id = \(userID)")[0].decode(String.self, at: 0)
        let browser = BrowserClient(db: db)
        try browser.signIn(subject: subject)
        let page = try browser.get("/projects")
        XCTAssertEqual(page.status, 200, "\(role) is signed in")
        return (browser, try XCTUnwrap(BrowserClient.csrfToken(in: page.text)))
    }

    /// The API matrix's snapshot, and the other tenant's trash (nothing was deleted) and users.
    private static func snapshot(_ owner: APICaller, _ world: World) throws -> [String] {
        try IsolationMatrixTests.snapshot(owner, world) + ["/api/v1/trash", "/api/v1/users", "/api/v1/tokens"].map { path in
            let response = try owner.call("GET", path)
            XCTAssertEqual(response.status, 200, path)
            return response.text
        }
    }
}
