import XCTest
@testable import DataCovey

final class SQLGuardAttackTests: XCTestCase {
    private typealias Code = SQLGuard.Rejection.Code

    /// Each statement must be refused with the given code.
    private let corpus: [(String, Code)] = [
        ("SELECT (@tenant:=8)", .userVariable),
        ("SELECT @@version", .systemVariable),
        ("SELECT @`x`", .userVariable),
        ("SET STATEMENT max_statement_time=0 FOR SELECT 1", .notASelect),
        ("SET @a = 1", .notASelect),
        ("SELECT 1; DROP TABLE x", .multipleStatements),
        ("SELECT 1; SELECT 2", .multipleStatements),
        ("SELECT 1 -- ok\n; DELETE FROM t", .multipleStatements),
        ("SELECT (1; DELETE FROM t)", .multipleStatements),
        ("SELECT * FROM t INTO OUTFILE '/tmp/x'", .forbiddenKeyword),
        ("SELECT * INTO @v FROM t", .forbiddenKeyword),
        ("SELECT * FROM t INTO DUMPFILE '/tmp/x'", .forbiddenKeyword),
        ("SELECT LOAD_FILE('/etc/passwd')", .forbiddenFunction),
        ("SELECT SLEEP(10)", .forbiddenFunction),
        ("SELECT sleep /*x*/ (10)", .forbiddenFunction),
        ("SELECT `sleep`(10)", .forbiddenFunction),
        ("SELECT SLÉEP(10)", .forbiddenFunction),
        ("SELECT BENCHMARK(1e9, MD5('a'))", .forbiddenFunction),
        ("SELECT GET_LOCK('a', 10)", .forbiddenFunction),
        ("SELECT release_all_locks()", .forbiddenFunction),
        ("SELECT MASTER_POS_WAIT('f', 4)", .forbiddenFunction),
        ("SELECT LAST_INSERT_ID(5)", .forbiddenFunction),
        ("SELECT NEXTVAL(s)", .forbiddenFunction),
        ("SELECT SETVAL(s, 10)", .forbiddenFunction),
        ("SELECT NEXT VALUE FOR s", .forbiddenFunction),
        ("SELECT * FROM t FOR UPDATE", .forbiddenKeyword),
        ("SELECT * FROM t FOR SHARE", .forbiddenKeyword),
        ("SELECT * FROM t LOCK IN SHARE MODE", .forbiddenKeyword),
        ("SELECT * FROM t PROCEDURE ANALYSE()", .forbiddenKeyword),
        ("SELECT * FROM t WHERE a := 1", .assignment),
        ("SELECT * FROM information_schema.tables", .forbiddenSchema),
        ("SELECT * FROM `mysql`.`user`", .forbiddenSchema),
        ("SELECT * FROM MySQL . user", .forbiddenSchema),
        ("SELECT * FROM performance_schema.threads", .forbiddenSchema),
        ("SELECT * FROM sys.x", .forbiddenSchema),
        ("SELECT sys.x.y FROM t", .forbiddenSchema),
        ("SELECT * FROM dcd_123.tbl_456", .physicalName),
        ("SELECT * FROM `TBL_9`", .physicalName),
        ("SELECT 1 /*!50000 , SLEEP(5) */", .executableComment),
        ("SELECT 1 /*M!100000 INTO OUTFILE 'x' */", .executableComment),
        ("/* hidden */ DELETE FROM t", .notASelect),
        ("UPDATE t SET a=1", .notASelect),
        ("INSERT INTO t VALUES (1)", .notASelect),
        ("REPLACE INTO t VALUES (1)", .notASelect),
        ("CALL p()", .notASelect),
        ("SHOW TABLES", .notASelect),
        ("EXPLAIN SELECT 1", .notASelect),
        ("DESC t", .notASelect),
        ("DO SLEEP(1)", .notASelect),
        ("HANDLER t OPEN", .notASelect),
        ("VALUES (1)", .notASelect),
        ("TABLE t", .notASelect),
        ("LOCK TABLES t READ", .notASelect),
        ("BEGIN", .notASelect),
        ("WITH x AS (SELECT 1) DELETE FROM t", .notASelect),
        ("WITH x AS SELECT 1", .notASelect),
        ("SELECT 'unterminated", .unterminated),
        ("SELECT /* unterminated", .unterminated),
        ("SELECT `unterminated", .unterminated),
        ("", .empty),
        ("   \n\t", .empty),
        ("-- just a comment", .empty),
        ("/* only */ # comments", .empty),
        (";", .empty),
        ("SELECT (1", .unbalancedParentheses),
        ("SELECT 1)", .unbalancedParentheses),
        (#"SELECT '\' , SLEEP(5) -- '"#, .ambiguousQuoting),
        (#"SELECT * FROM "mysql"."user""#, .ambiguousQuoting),
        ("SELECT 'sleep'(1)", .forbiddenFunction),
        ("SELECT 1\u{0}", .invalidCharacter),
    ]

    func testAttackCorpusIsRejectedWithExpectedCodes() {
        XCTAssertGreaterThanOrEqual(corpus.count, 35)
        for (sql, expected) in corpus {
            do {
                let accepted = try SQLGuard.check(sql)
                XCTFail("accepted \(sql.debugDescription): \(accepted)")
            } catch {
                XCTAssertEqual(error.code, expected, "\(sql.debugDescription): \(error.message)")
                XCTAssertFalse(error.message.isEmpty)
            }
        }
    }

    /// Number forms that end right before a letter (exponents and fractions), the way the
    /// server reads them.
    static let numbersThatEndBeforeALetter = ["1e1", "0e0", "1e+1", "1E-1", "1.5", "1.", ".5", "1.5e1", ".5e-1"]

    /// Each keyword, schema and function the rules look at, glued to a number: refused.
    static func gluedAttacks(_ number: String) -> [(String, SQLGuard.Rejection.Code)] {
        [
            ("SELECT \(number)into outfile '/tmp/x'", .forbiddenKeyword),
            ("SELECT \(number)into @v", .forbiddenKeyword),
            ("SELECT x FROM t WHERE x > \(number)lock in share mode", .forbiddenKeyword),
            ("SELECT x FROM t WHERE x > \(number)for update", .forbiddenKeyword),
            ("SELECT x FROM t WHERE x > \(number)for share", .forbiddenKeyword),
            ("SELECT x FROM t WHERE x > \(number)procedure analyse()", .forbiddenKeyword),
            ("SELECT x FROM t WHERE x > \(number)set", .forbiddenKeyword),
            ("SELECT \(number)from mysql.user", .forbiddenSchema),
            ("SELECT \(number)from information_schema.processlist", .forbiddenSchema),
            ("SELECT x FROM t WHERE x > \(number)union select 1 from performance_schema.threads", .forbiddenSchema),
            ("SELECT \(number)from dcd_1.tbl_2", .physicalName),
            ("SELECT \(number)next value for s", .forbiddenFunction),
            ("SELECT x FROM t WHERE x > \(number)or sleep(5)", .forbiddenFunction),
        ]
    }

    func testNumbersGluedToKeywordsAreRefusedAsTheServerWouldReadThem() {
        for number in Self.numbersThatEndBeforeALetter {
            for (sql, expected) in Self.gluedAttacks(number) {
                do {
                    let accepted = try SQLGuard.check(sql)
                    XCTFail("accepted \(sql.debugDescription): \(accepted)")
                } catch {
                    XCTAssertEqual(error.code, expected, "\(sql.debugDescription): \(error.message)")
                }
            }
        }
    }

    /// FROM, JOIN and UNION glued to a number still open a table list: the tables are found
    /// (and so rewritten to the project's own), never passed through as written.
    func testTablesBehindANumberAreCollected() throws {
        for number in Self.numbersThatEndBeforeALetter {
            XCTAssertEqual(try SQLGuard.check("SELECT \(number)from ds.t").tables, [SQLGuard.TableReference("ds", "t")], number)
            XCTAssertEqual(try SQLGuard.check("SELECT * FROM a LEFT JOIN b ON a.x = \(number)join ds.c ON 1").tables,
                           [SQLGuard.TableReference(nil, "a"), SQLGuard.TableReference(nil, "b"), SQLGuard.TableReference("ds", "c")],
                           number)
            XCTAssertEqual(try SQLGuard.check("SELECT x FROM a WHERE x > \(number)union select y from ds.b").tables,
                           [SQLGuard.TableReference(nil, "a"), SQLGuard.TableReference("ds", "b")], number)
        }
    }

    func testMessagesNameTheConstruct() {
        XCTAssertEqual(message("SELECT * FROM t INTO OUTFILE '/tmp/x'"), "INTO is not allowed: queries only read data.")
        XCTAssertEqual(message("SELECT sleep (1)"), "SLEEP() is not allowed: it only ties up the server.")
        XCTAssertEqual(message("DELETE FROM t"), "DELETE statements are not allowed: only a single SELECT query can run.")
        XCTAssertEqual(message("SET STATEMENT max_statement_time=0 FOR SELECT 1"),
                       "SET STATEMENT is not allowed: queries cannot change settings.")
        XCTAssertEqual(message("SELECT * FROM t LOCK IN SHARE MODE"), "LOCK IN SHARE MODE is not allowed: queries cannot lock rows.")
        XCTAssertEqual(message("SELECT * FROM `mysql`.`user`"), "The system schema `mysql` cannot be queried.")
        XCTAssertEqual(message("SELECT @x"), "User variables (@x) are not allowed: queries cannot keep or change session state.")
    }

    /// Long inputs stay fast: the checks are linear in the number of tokens.
    func testLargeInputIsLinear() throws {
        let columns = Array(repeating: "(a + 1)", count: 20_000).joined(separator: ", ")
        let accepted = try SQLGuard.check("SELECT \(columns) FROM ds.t")
        XCTAssertEqual(accepted.tables, [SQLGuard.TableReference("ds", "t")])
    }

    private func message(_ sql: String) -> String? {
        do { _ = try SQLGuard.check(sql); return nil } catch { return error.message }
    }
}
