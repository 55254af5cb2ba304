import XCTest
@testable import DataCovey

final class SQLTokenizerTests: XCTestCase {
    private func kinds(_ sql: String) throws -> [SQLToken.Kind] { try SQLTokenizer.tokenize(sql).map(\.kind) }
    private func texts(_ sql: String) throws -> [String] { try SQLTokenizer.tokenize(sql).map(\.text) }

    private func failure(_ sql: String) -> SQLTokenizer.Failure.Kind? {
        do { _ = try SQLTokenizer.tokenize(sql); return nil } catch { return error.kind }
    }

    func testWordsSymbolsAndNumbers() throws {
        XCTAssertEqual(try texts("SELECT a.b, 1.5e-3, .5, 0x1F, 12abc FROM t WHERE x<=>y"),
                       ["SELECT", "a", ".", "b", ",", "1.5e-3", ",", ".5", ",", "0x1F", ",", "12abc", "FROM", "t",
                        "WHERE", "x", "<=>", "y"])
        XCTAssertEqual(try kinds("1e9 12abc 0b101 X'41' b'01'"), [.number, .word, .number, .number, .number])
        XCTAssertEqual(try texts("db.1t"), ["db", ".", "1t"])
        XCTAssertEqual(try kinds("db.1t"), [.word, .symbol, .word])
    }

    func testQuotedIdentifiersAndStrings() throws {
        let tokens = try SQLTokenizer.tokenize(#"`a``b` 'it''s' "say \"hi\"" 'x\ny' _utf8mb4'z'"#)
        XCTAssertEqual(tokens.map(\.kind), [.quotedIdentifier, .string, .string, .string, .word, .string])
        XCTAssertEqual(tokens.map(\.text), ["a`b", "it's", "say \"hi\"", "x\ny", "_utf8mb4", "z"])
        XCTAssertEqual(tokens.map(\.hasBackslashEscapedQuote), [false, false, true, false, false, false])
        XCTAssertEqual(try texts(#"'a\\' 'b'"#), [#"a\"#, "b"])
    }

    func testCommentsDisappear() throws {
        XCTAssertEqual(try texts("SELECT -- into\n1 # sleep(1)\n/* @x */ + 2"), ["SELECT", "1", "+", "2"])
        XCTAssertEqual(try texts("SELECT 1--1"), ["SELECT", "1", "-", "-", "1"])
        XCTAssertEqual(try texts("SELECT 1 --"), ["SELECT", "1"])
        XCTAssertEqual(try texts("SELECT 1 --\t2"), ["SELECT", "1"])
    }

    func testParametersAndVariables() throws {
        XCTAssertEqual(try kinds("? :name := : @v @@version @'q'"),
                       [.positionalParameter, .namedParameter, .symbol, .symbol, .userVariable, .systemVariable,
                        .userVariable, .string])
        XCTAssertEqual(try texts(":tenant_id @@global.x"), ["tenant_id", "global.x"])
        XCTAssertEqual(try kinds("'?' ':x' `?`"), [.string, .string, .quotedIdentifier])
    }

    func testFailures() {
        XCTAssertEqual(failure("SELECT 'open"), .unterminatedString)
        XCTAssertEqual(failure(#"SELECT 'a\'"#), .unterminatedString)
        XCTAssertEqual(failure("SELECT `open"), .unterminatedIdentifier)
        XCTAssertEqual(failure("SELECT /* open"), .unterminatedComment)
        XCTAssertEqual(failure("SELECT /*! 1 */"), .executableComment)
        XCTAssertEqual(failure("SELECT /*M!100000 1 */"), .executableComment)
        XCTAssertEqual(failure("SELECT X'41"), .unterminatedString)
        XCTAssertEqual(failure("SELECT 1\u{0}"), .nulCharacter)
        XCTAssertNil(failure("SELECT '/*!' -- /*!\n"))
    }

    func testOffsetsAreUTF8AndMultibyteNamesStayWhole() throws {
        let tokens = try SQLTokenizer.tokenize("SELECT größe FROM 表")
        XCTAssertEqual(tokens.map(\.text), ["SELECT", "größe", "FROM", "表"])
        XCTAssertEqual(tokens.map(\.offset), [0, 7, 15, 20])
    }
}
