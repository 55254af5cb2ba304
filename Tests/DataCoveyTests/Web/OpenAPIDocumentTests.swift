@testable import DataCovey
import FastCGI
import Foundation
import Logging
import MariaDB
import XCTest

/// The OpenAPI document against the router and the encoders; no database needed.
final class OpenAPIDocumentTests: XCTestCase {
    private static let methods = ["get", "put", "post", "patch", "delete", "head", "options", "trace"]

    private func document() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8))
        return try XCTUnwrap(object as? [String: Any], "the document is a JSON object")
    }

    private func schemas() throws -> [String: [String: Any]] {
        let components = try XCTUnwrap(try document()["components"] as? [String: Any])
        return try XCTUnwrap(components["schemas"] as? [String: [String: Any]])
    }

    /// Every operation as (METHOD, path, operation object).
    private func operations() throws -> [(method: String, path: String, operation: [String: Any])] {
        let paths = try XCTUnwrap(try document()["paths"] as? [String: [String: Any]])
        return paths.flatMap { path, item in
            Self.methods.compactMap { method in
                (item[method] as? [String: Any]).map { (method.uppercased(), path, $0) }
            }
        }
    }

    /// `{id:int}` in a router pattern is `{id}` in OpenAPI.
    private static func openAPIPath(_ pattern: String) -> String {
        pattern.split(separator: "/", omittingEmptySubsequences: false).map { segment -> String in
            guard segment.hasPrefix("{"), let colon = segment.firstIndex(of: ":") else { return String(segment) }
            return String(segment[..<colon]) + "}"
        }.joined(separator: "/")
    }

    func testIsAnOpenAPI31Document() throws {
        let document = try document()
        XCTAssertEqual(document["openapi"] as? String, "3.1.0")
        let info = try XCTUnwrap(document["info"] as? [String: Any])
        XCTAssertEqual(info["title"] as? String, "DataCovey")
        XCTAssertEqual(info["version"] as? String, "1")
        let servers = try XCTUnwrap(document["servers"] as? [[String: Any]])
        XCTAssertEqual(servers.first?["url"] as? String, "/")
        let components = try XCTUnwrap(document["components"] as? [String: Any])
        let schemes = try XCTUnwrap(components["securitySchemes"] as? [String: [String: Any]])
        XCTAssertEqual(schemes["bearerAuth"]?["scheme"] as? String, "bearer")
        XCTAssertEqual(schemes["bearerAuth"]?["bearerFormat"] as? String, "JWT")
    }

    func testDocumentsExactlyTheRoutesTheRouterServes() throws {
        let documented = Set(try operations().map { "\($0.method) \($0.path)" })
        let routed = Set(try ServedRoutes.list().map { "\($0.method) \(Self.openAPIPath($0.pattern))" })
        XCTAssertEqual(documented.subtracting(routed).sorted(), [], "documented but not routed")
        XCTAssertEqual(routed.subtracting(documented).sorted(), [], "routed but not documented")
        XCTAssertTrue(routed.contains("GET /api/v1/openapi.json"), "Routes.make registers OpenAPIController")
        // /metrics is for nginx's local metrics server, not the public API: the responder adds it
        // outside Routes.make (MetricsEndpoint), so it is neither routed here nor documented.
        XCTAssertFalse(documented.contains("GET /metrics"))
        XCTAssertFalse(routed.contains("GET /metrics"))
    }

    func testEveryOperationAnswersSuccessAndErrors() throws {
        for (method, path, operation) in try operations() {
            let codes = Set(try XCTUnwrap(operation["responses"] as? [String: Any], "\(method) \(path)").keys)
            XCTAssertTrue(codes.contains { $0.hasPrefix("2") }, "\(method) \(path) has no 2xx response")
            // The unauthenticated probes and the document itself answer nothing but 200 (readyz: 503).
            let isPublic = (operation["security"] as? [Any])?.isEmpty == true
            if !isPublic {
                XCTAssertTrue(codes.contains { $0.hasPrefix("4") }, "\(method) \(path) has no 4xx response")
                XCTAssertTrue(codes.contains("401"), "\(method) \(path) needs a token and so can answer 401")
            }
            for code in codes {
                XCTAssertNotNil(Int(code), "\(method) \(path): response key \(code) is not a status code")
            }
            // Path parameters are declared once per operation: integer ids by the shared Id, a
            // row's key (`{key}`, RowKey: a value of its key column, any type) by RowKey.
            let names = path.split(separator: "/").filter { $0.hasPrefix("{") }
            let parameters = (operation["parameters"] as? [[String: Any]]) ?? []
            let ids = parameters.filter { ($0["$ref"] as? String) == "#/components/parameters/Id" }.count
            let keys = parameters.filter { ($0["$ref"] as? String) == "#/components/parameters/RowKey" }.count
            XCTAssertEqual(ids + keys, names.count, "\(method) \(path) declares its path parameter")
            XCTAssertEqual(keys, names.filter { $0 == "{key}" }.count, "\(method) \(path): only a row's key is not an integer id")
        }
        let id = try XCTUnwrap((try document()["components"] as? [String: Any])?["parameters"] as? [String: [String: Any]])["Id"]
        XCTAssertEqual((id?["schema"] as? [String: Any])?["type"] as? String, "integer")
        XCTAssertEqual(id?["in"] as? String, "path")
    }

    func testPublicEndpointsNeedNoToken() throws {
        let document = try document()
        XCTAssertNotNil(document["security"] as? [Any], "a bearer token by default")
        let open = Set(try operations().filter { ($0.operation["security"] as? [Any])?.isEmpty == true }.map { "\($0.method) \($0.path)" })
        XCTAssertEqual(open, ["GET /healthz", "GET /readyz", "GET /api/v1/openapi.json"])
    }

    private func collectReferences(_ value: Any, into references: inout [String]) {
        if let object = value as? [String: Any] {
            for (key, member) in object {
                if key == "$ref", let target = member as? String { references.append(target) } else { collectReferences(member, into: &references) }
            }
        } else if let array = value as? [Any] {
            for member in array { collectReferences(member, into: &references) }
        }
    }

    func testEveryReferenceResolvesAndEverySchemaIsUsed() throws {
        let document = try document()
        var references: [String] = []
        collectReferences(document, into: &references)
        XCTAssertFalse(references.isEmpty)
        for reference in Set(references) {
            XCTAssertTrue(reference.hasPrefix("#/"), "\(reference) is local")
            var node: Any? = document
            for part in reference.dropFirst(2).split(separator: "/") {
                let key = part.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
                node = (node as? [String: Any])?[key]
            }
            XCTAssertNotNil(node as? [String: Any], "\(reference) does not resolve")
        }
        let components = try XCTUnwrap(document["components"] as? [String: Any])
        for kind in ["schemas", "parameters", "responses", "headers"] {
            let names = try XCTUnwrap(components[kind] as? [String: Any], kind).keys
            for name in names {
                XCTAssertTrue(references.contains("#/components/\(kind)/\(name)"), "components.\(kind).\(name) is never used")
            }
        }
        for name in ["Problem", "Me", "User", "Project", "Dataset", "Table", "Column", "ProjectList", "DatasetList", "TableList",
                     "UserList", "RowList", "InsertedRows", "Health"] {
            XCTAssertNotNil(try schemas()[name], "components.schemas.\(name)")
        }
    }

    /// What the encoder writes must be what the schema lists: same keys, and every required key.
    private func assertShape(_ value: some Encodable, schema name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let encoded = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(JSON.encode(value))) as? [String: Any], file: file, line: line)
        // A described resource's fast writer gives JSONEncoder's bytes exactly (its fields are
        // listed in key order).
        if let writable = value as? JSONWritable {
            var writer = JSONWriter()
            writable.writeJSON(&writer)
            XCTAssertEqual(String(decoding: writer.bytes, as: UTF8.self), String(decoding: try JSON.encode(value), as: UTF8.self),
                           "\(name): the fast writer and the encoder differ", file: file, line: line)
        }
        try assertShape(encoded, schema: try XCTUnwrap(try schemas()[name], name, file: file, line: line), name: name, file: file, line: line)
    }

    private func assertShape(_ encoded: [String: Any], schema: [String: Any], name: String, file: StaticString, line: UInt) throws {
        let properties = try XCTUnwrap(schema["properties"] as? [String: [String: Any]], "\(name).properties", file: file, line: line)
        let required = Set(schema["required"] as? [String] ?? [])
        XCTAssertEqual(Set(encoded.keys), Set(properties.keys), "\(name): encoded keys and schema properties differ", file: file, line: line)
        XCTAssertTrue(required.isSubset(of: encoded.keys), "\(name): required \(required.subtracting(encoded.keys)) not written",
                      file: file, line: line)
        for (key, value) in encoded where value is NSNull {
            let types = properties[key]?["type"] as? [String] ?? []
            XCTAssertTrue(types.contains("null"), "\(name).\(key) is written as null but not nullable", file: file, line: line)
        }
    }

    func testResourceSchemasMatchTheEncoders() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        for description in [nil, "Sales"] as [String?] {
            let createdBy: Int64? = description == nil ? nil : 7
            try assertShape(Project(id: 1, name: "sales", description: description, createdBy: createdBy, version: 1,
                                    createdAt: now, updatedAt: now), schema: "Project")
            try assertShape(Dataset(id: 2, projectID: 1, name: "raw", description: description, createdBy: createdBy, version: 3,
                                    createdAt: now, updatedAt: now, dataDatabase: "dc_t1_d2"), schema: "Dataset")
            try assertShape(TenantUser(id: 3, email: "a@example.com", name: description, role: "admin", disabled: false,
                                       sub: "local|a@example.com", version: 1, createdAt: now, updatedAt: now), schema: "User")
            let column = DataTable.Column(position: 1, name: "amount", label: description, type: "decimal(10,2)", nullable: description == nil,
                                          default: description, primaryKey: false)
            try assertShape(column, schema: "Column")
            try assertShape(DataTable(id: 4, datasetID: 2, name: "orders", description: description, autodetect: description == nil,
                                      columns: [column], rowCount: createdBy, createdBy: createdBy, version: 2,
                                      createdAt: now, updatedAt: now, physicalName: "t_4"), schema: "Table")
        }
        for ended in [false, true] {
            var options = ImportOptions(format: .csv)
            options.dryRun = ended
            try assertShape(ImportJob(id: 5, tableID: 4, status: ended ? .failed : .pending, options: options,
                                      bytesTotal: ended ? 10 : nil, bytesRead: 0, rowsLoaded: 0, rowsRejected: 0, percent: 0,
                                      error: ended ? "cancelled" : nil, attempts: 1, createdBy: ended ? 7 : nil,
                                      startedAt: ended ? now : nil, finishedAt: ended ? now : nil, version: 1,
                                      createdAt: now, updatedAt: now, revertedAt: ended ? now : nil, revertedBy: ended ? 7 : nil,
                                      headerMapping: ended ? [HeaderMapping(header: "On Street", column: "on_street")] : nil,
                                      filePath: nil), schema: "ImportJob")
            var exportOptions = ExportOptions()
            exportOptions.columns = ended ? ["id"] : nil
            let export = ExportJob(id: 6, tableID: ended ? 4 : nil, queryID: ended ? nil : 8, status: ended ? .completed : .running, options: exportOptions,
                                   bytesWritten: 1, rowsExported: 1, percent: 50, error: nil, attempts: 1, createdBy: nil,
                                   startedAt: now, finishedAt: ended ? now : nil, version: 2, createdAt: now, updatedAt: now,
                                   filePath: ended ? "exports/1/x.csv" : nil)
            try assertShape(export, schema: "ExportJob")
            try assertShape(exportOptions, schema: "ExportOptions")
            try assertShape(ImportReject(id: 1, line: 3, column: ended ? "id" : nil, value: ended ? "x" : nil, reason: "bad"),
                            schema: "ImportReject")
        }
        for revoked in [false, true] {
            let token = APIToken(id: 9, name: "loader", prefix: "dct_abcdefgh", role: "viewer", userID: 10, createdBy: 3,
                                 createdAt: now, expiresAt: now, revokedAt: revoked ? now : nil, revokedBy: revoked ? 3 : nil,
                                 lastUsedAt: revoked ? now : nil, uses: revoked ? 2 : 0, state: revoked ? "revoked" : "active", version: 1)
            try assertShape(token, schema: "APIToken")
            try assertShape(CreatedAPIToken(token: token, secret: "dct_" + String(repeating: "a", count: 43)), schema: "APITokenCreated")
        }
        try assertShape(MeController.Me(id: 3, email: "a@example.com", name: "Ann", role: "admin", tenant: .init(id: 1, name: "Acme")),
                        schema: "Me")
        let page = ListPage(fetched: [Project(id: 1, name: "p", description: nil, createdBy: nil, version: 1, createdAt: now, updatedAt: now)],
                            page: Page(), id: \.id)
        try assertShape(page, schema: "ProjectList")
    }

    func testProblemSchemaMatchesTheProblemResponse() throws {
        // With every member of a field problem, code included (the SQL guard's).
        let problem = HTTPError.badRequest("Bad.", errors: [.init(field: "sql", message: "is not a SELECT", code: "not_a_select")])
        let response = problem.response(requestID: "r1", instance: "/api/v1/projects")
        guard case .bytes(let bytes) = response.body else { return XCTFail("a byte body") }
        let encoded = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        try assertShape(encoded, schema: try XCTUnwrap(try schemas()["Problem"]), name: "Problem", file: #filePath, line: #line)
        let fieldError = try XCTUnwrap((encoded["errors"] as? [[String: Any]])?.first)
        try assertShape(fieldError, schema: try XCTUnwrap(try schemas()["FieldError"]), name: "FieldError", file: #filePath, line: #line)
        // Without instance and errors those keys are left out, so the schema does not require them.
        let bare = HTTPError.notFound().response(requestID: "r2", instance: nil)
        guard case .bytes(let bareBytes) = bare.body else { return XCTFail("a byte body") }
        let bareKeys = Set(try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(bareBytes)) as? [String: Any]).keys)
        XCTAssertEqual(Set(try XCTUnwrap(try schemas()["Problem"])["required"] as? [String] ?? []), bareKeys)
    }

    func testControllerServesTheDocumentWithoutAToken() throws {
        var router = Router()
        OpenAPIController().register(in: &router)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let application = Application(router: router, configuration: try Configuration.fromEnvironment([:]), logger: logger)
        let response = application.respond(to: FastCGIRequest(params: ["REQUEST_METHOD": "GET", "REQUEST_URI": "/api/v1/openapi.json"]))
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("Content-Type"), "application/json")
        guard case .bytes(let bytes) = response.body else { return XCTFail("a byte body") }
        XCTAssertEqual(bytes, Array(OpenAPIDocument.json.utf8))
    }
}
