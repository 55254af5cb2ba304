import Foundation
import MariaDB
import TestSupport
import XCTest
@testable import DataCovey

/// Every column type in `ColumnTypes.all` is wired everywhere a type must be known: its name
/// parses back to it, MariaDB takes its SQL type (as a primary key exactly when it says so),
/// a query reads the column back as that type and no other type claims it, openapi.json and
/// the forms list exactly the registry's types, autodetection's ladder is whole, and the
/// import streams' converter is the type's own. `ValueConformanceTests` runs cases of every
/// registered type through the three write paths.
final class ColumnTypeRegistryTests: XCTestCase {
    private static var registered: [ObjectIdentifier] { ColumnTypes.all.map { ObjectIdentifier($0) } }

    /// Which registered type a value is (its kind's concrete type).
    private static func identity(_ type: ColumnType) -> ObjectIdentifier { ObjectIdentifier(Swift.type(of: type.kind)) }

    func testEveryTypeIsRegisteredOnceAndItsNameRoundTrips() throws {
        XCTAssertEqual(Set(Self.registered).count, ColumnTypes.all.count, "a type is registered twice")
        XCTAssertEqual(Set(ColumnTypes.all.map { $0.syntax }).count, ColumnTypes.all.count, "two types share a syntax")
        XCTAssertEqual(ColumnType.offered.map(Self.identity), Self.registered, "each type offers one of its own")
        for type in ColumnType.offered {
            for spelling in [type.name, type.name.uppercased()] {
                let parsed = try XCTUnwrap(ColumnType(spelling), "\(spelling) parses")
                XCTAssertEqual(parsed, type, spelling)
                XCTAssertEqual(Self.identity(parsed), Self.identity(type), "\(spelling) parses to its own type")
                XCTAssertEqual(parsed.sqlType, type.sqlType, spelling)
            }
        }
        XCTAssertEqual(ColumnType.names, ColumnTypes.all.map { $0.syntax }.joined(separator: ", "))
        XCTAssertNil(ColumnType("nosuchtype"))
        XCTAssertNil(ColumnType("decimal(p,s)"), "the documented syntax is no type itself")
    }

    /// The widest rung takes any value, so widening always ends; json is reached only by
    /// NDJSON arrays and objects; each rung makes a column of its own type.
    func testAutodetectionLadderIsWhole() throws {
        let rungs = ColumnTypes.all.compactMap { type in type.detection.map { (ObjectIdentifier(type), $0) } }
        XCTAssertEqual(Set(rungs.map(\.1.rank)).count, rungs.count, "two types share a detection rank")
        for (type, rung) in rungs {
            XCTAssertEqual(Self.identity(rung.type), type, "\(rung.type.name) detects as itself")
        }
        let ordinary = rungs.map(\.1).filter { !$0.takesJSONComposites }.sorted { $0.rank < $1.rank }
        let widest = try XCTUnwrap(ordinary.last)
        for sample in ["", "x", "1", "true", "2026-01-02", String(repeating: "é", count: 300), "{\"a\":1}"] {
            XCTAssertTrue(widest.fits(sample), "\(widest.type.name) takes \(sample.prefix(20))")
        }
        XCTAssertLessThanOrEqual(rungs.filter(\.1.takesJSONComposites).count, 1)
        XCTAssertTrue(ordinary.contains { $0.fits("") }, "some type holds an empty string (a column with no values)")
    }

    /// openapi.json's type fields (table columns, query parameters) list exactly the
    /// registry's types, and its patterns accept each type's name.
    func testOpenAPIListsExactlyTheRegistrysTypes() throws {
        let document = try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8))
        var typeFields: [[String: Any]] = []
        func walk(_ value: Any, key: String?) {
            if let object = value as? [String: Any] {
                if key == "type", (object["description"] as? String)?.hasPrefix("One of ") == true { typeFields.append(object) }
                for (name, member) in object { walk(member, key: name) }
            } else if let array = value as? [Any] {
                for member in array { walk(member, key: nil) }
            }
        }
        walk(document, key: nil)
        XCTAssertGreaterThanOrEqual(typeFields.count, 4, "ColumnInput, Column, QueryParameter and its request")
        let syntaxes = Set(ColumnTypes.all.map { $0.syntax })
        for field in typeFields {
            let description = try XCTUnwrap(field["description"] as? String)
            let listed = description.dropFirst("One of ".count).trimmingCharacters(in: CharacterSet(charactersIn: "."))
                .components(separatedBy: ", ")
            XCTAssertEqual(Set(listed), syntaxes, description)
            XCTAssertEqual(listed.count, syntaxes.count, description)
            guard let pattern = field["pattern"] as? String else { continue }
            let regex = try NSRegularExpression(pattern: pattern)
            func matches(_ text: String) -> Bool { regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil }
            for type in ColumnType.offered { XCTAssertTrue(matches(type.name), "\(pattern) takes \(type.name)") }
            XCTAssertFalse(matches("nosuchtype"))
            XCTAssertEqual(pattern.dropFirst(2).dropLast(2).components(separatedBy: "|").count, syntaxes.count, pattern)
        }
        let schemas = try XCTUnwrap((document as? [String: Any])?["components"] as? [String: Any])["schemas"] as? [String: Any]
        let resultType = try XCTUnwrap(((schemas?["QueryColumn"] as? [String: Any])?["properties"] as? [String: Any])?["type"] as? [String: Any])
        let resultDescription = try XCTUnwrap(resultType["description"] as? String)
        for syntax in syntaxes { XCTAssertTrue(resultDescription.contains(syntax), "QueryColumn.type names \(syntax)") }
    }

    /// The README's table of accepted spellings has a row for exactly the registry's types.
    func testTheReadmeDocumentsEveryType() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let lines = readme.components(separatedBy: "\n")
        let header = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("| type | accepted |") }, "README.md has the table of spellings")
        let rows = lines[(header + 2)...].prefix { $0.hasPrefix("| `") }.map { String($0.dropFirst(3).prefix { $0 != "`" }) }
        XCTAssertEqual(Set(rows), Set(ColumnTypes.all.map { $0.syntax }), "README.md's table of spellings")
        XCTAssertEqual(rows.count, ColumnTypes.all.count)
    }

    /// The import streams' converter (made once per column) is the type's own `convert`.
    func testTheImportConverterIsTheTypesOwn() {
        let samples = ["1", "-2.5", "true", "maybe", "", "2026-01-02", "2026-01-02T03:04:05Z", "{\"a\": [1]}", "[1,]", "null",
                       String(repeating: "x", count: 256)]
        for type in ColumnType.offered {
            let converter = type.kind.loadDataConverter
            for sample in samples {
                Array(sample.utf8).withUnsafeBufferPointer { bytes in
                    var stream = LoadDataEncoder(capacity: 64)
                    var bind = BindSink()
                    XCTAssertEqual(converter(.text(bytes), &stream)?.message, CellConverter.convert(.text(bytes), to: type, into: &bind)?.message,
                                   "\(type.name) \(sample.prefix(20))")
                }
            }
        }
    }

    /// On a real MariaDB: a table of every type (one column each) is created through the API,
    /// a query reads each column back as its type, and exactly one registered type claims each
    /// column MariaDB describes; a primary key of each type is made exactly when the type says
    /// it can be; the table page's form offers every type.
    func testEveryTypeMakesARealColumnThatReadsBackAsItself() throws {
        let fixture = try QueryFixture.make("registry")
        let datasets = try fixture.user.call("GET", "/api/v1/projects/\(fixture.project)/datasets").json()["items"] as? [[String: Any]] ?? []
        let sales = try XCTUnwrap(datasets.first { $0["name"] as? String == "sales" }?["id"] as? Int)
        let offered = ColumnType.offered
        let created = try fixture.user.call("POST", "/api/v1/datasets/\(sales)/tables", json: [
            "name": "every_type", "columns": offered.enumerated().map { ["name": "c\($0)", "type": $1.name] },
        ])
        XCTAssertEqual(created.status, 201, created.text)
        let table = try XCTUnwrap(try created.json()["id"] as? Int)
        XCTAssertEqual(try fixture.user.call("POST", "/api/v1/tables/\(table)/rows", json: [["c0": NSNull()]]).status, 201)

        let answer = try fixture.query("SELECT * FROM sales.every_type")
        XCTAssertEqual(answer.status, 200, answer.text)
        let types = (try answer.json()["columns"] as? [[String: Any]])?.compactMap { $0["type"] as? String }
        XCTAssertEqual(types, offered.map(\.name), "each column reads back as its type")

        let (database, physical) = try fixture.physicalName(ofTable: table)
        let superuser = try fixture.db.superuser()
        defer { superuser.close() }
        let row = try XCTUnwrap(try superuser.query(SQLQuery(unsafeSQL: "SELECT * FROM `\(database)`.`\(physical)` WHERE ? = 1", binds: [.int(1)])).first)
        let described = row.columns.columns.filter { !$0.name.hasPrefix("_dc_") }
        XCTAssertEqual(described.count, offered.count)
        for (column, type) in zip(described, offered) {
            let claims = ColumnTypes.all.compactMap { $0.resultType(of: column) }
            XCTAssertEqual(claims.map(\.name), [type.name], "\(type.name): the types claiming MariaDB's \(column)")
        }

        for (index, type) in offered.enumerated() {
            let keyed = try fixture.user.call("POST", "/api/v1/datasets/\(sales)/tables", json: [
                "name": "key_\(index)", "columns": [["name": "k", "type": type.name, "primary_key": true]],
            ])
            XCTAssertEqual(keyed.status, type.canBePrimaryKey ? 201 : 400, "\(type.name) as a primary key: \(keyed.text)")
        }

        let subject = try fixture.db.ops().query("SELECT auth0_sub FROM users WHERE id = \(fixture.user.userID)")[0].decode(String.self, at: 0)
        let browser = BrowserClient(db: fixture.db)
        _ = try browser.signIn(subject: subject)
        let page = try browser.get("/tables/\(table)?tab=columns")
        XCTAssertEqual(page.status, 200)
        for type in offered {
            XCTAssertTrue(page.text.contains("<option value=\"\(type.name)\">") || page.text.contains("<option value=\"\(type.name)\" selected>"),
                          "the add-column form offers \(type.name)")
        }
    }
}
