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

    /// Where the server's lexer ends a number and starts the next token (`MY_LEX_NUMBER_IDENT`,
    /// `MY_LEX_REAL`, `MY_LEX_IDENT_SEP` in MariaDB 10.11's sql_lex.cc): an exponent or a
    /// fraction ends at its last digit, so a keyword glued to it is a keyword.
    func testNumbersEndWhereTheServersLexerEndsThem() throws {
        let cases: [(String, [String], [SQLToken.Kind])] = [
            ("1e1into", ["1e1", "into"], [.number, .word]),
            ("0e0for", ["0e0", "for"], [.number, .word]),
            ("1e+1from", ["1e+1", "from"], [.number, .word]),
            ("1E-5lock", ["1E-5", "lock"], [.number, .word]),
            ("1.5e3procedure", ["1.5e3", "procedure"], [.number, .word]),
            (".5e1union", [".5e1", "union"], [.number, .word]),
            ("1.5into", ["1.5", "into"], [.number, .word]),
            ("1.into", ["1.", "into"], [.number, .word]),
            ("1e1e1", ["1e1", "e1"], [.number, .word]),
            ("12abc", ["12abc"], [.word]),
            ("1ea", ["1ea"], [.word]),
            ("1e", ["1e"], [.word]),
            ("1e+x", ["1e", "+", "x"], [.word, .symbol, .word]),
            ("0x1Finto", ["0x1Finto"], [.word]),
            ("0x1F", ["0x1F"], [.number]),
            ("0X1F", ["0X1F"], [.word]),
            ("0x", ["0x"], [.word]),
            ("0b101", ["0b101"], [.number]),
            ("0b12", ["0b12"], [.word]),
            ("1..10", ["1", "..", "10"], [.number, .symbol, .number]),
            ("t.1e1into", ["t", ".", "1e1into"], [.word, .symbol, .word]),
            ("t.select", ["t", ".", "select"], [.word, .symbol, .word]),
            ("t .1e1into", ["t", ".1e1", "into"], [.word, .number, .word]),
            ("t. 1e1into", ["t", ".", "1e1", "into"], [.word, .symbol, .number, .word]),
            ("`t`.1e1into", ["t", ".1e1", "into"], [.quotedIdentifier, .number, .word]),
            ("`t`.x", ["t", ".", "x"], [.quotedIdentifier, .symbol, .word]),
            ("(1).5into", ["(", "1", ")", ".5", "into"], [.symbol, .number, .symbol, .number, .word]),
            ("1e1.5", ["1e1", ".5"], [.number, .number]),
        ]
        for (sql, expectedTexts, expectedKinds) in cases {
            XCTAssertEqual(try texts(sql), expectedTexts, sql)
            XCTAssertEqual(try kinds(sql), expectedKinds, sql)
        }
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
        XCTAssertEqual(failure("SELECT 1.5e"), .malformedNumber)
        XCTAssertEqual(failure("SELECT .5e+x"), .malformedNumber)
        XCTAssertEqual(failure("SELECT 1.ex"), .malformedNumber)
        XCTAssertNil(failure("SELECT 1ex"))
        XCTAssertNil(failure("SELECT '/*!' -- /*!\n"))
    }

    func testOffsetsAreUTF8AndMultibyteNamesStayWhole() throws {
        let tokens = try SQLTokenizer.tokenize("SELECT größe FROM 表")
        XCTAssertEqual(tokens.map(\.text), ["SELECT", "größe", "FROM", "表"])
        XCTAssertEqual(tokens.map(\.offset), [0, 7, 15, 20])
    }
}
