/// Turns an accepted query into what the server runs: each table reference becomes its
/// physical `dcd_…`.`tbl_…` (keeping the written name as alias, so `sales.amount` still
/// works), and each `:name` marker becomes `?`, bound by position.
///
/// With `asOf` (the query editor's "as of" field, the API's `as_of`), every table reference
/// without a `FOR SYSTEM_TIME` clause of its own reads the table as it was then: the clause
/// `FOR SYSTEM_TIME AS OF TIMESTAMP'…'` goes after each physical name, before its alias. A
/// clause the user wrote is kept as written: it says more precisely what they want.
struct QueryRewriter {
    struct Rewritten: Sendable {
        let sql: String
        /// Logical names for physical ones, to translate the server's error messages and the
        /// result's column names back: each rewritten reference to what the user wrote, then
        /// each physical name to its logical one.
        let physicalToLogical: [(physical: String, logical: String)]
    }

    static func rewrite(_ sql: String, accepted: SQLGuard.Accepted, catalog: QueryCatalog,
                        asOf: QueryInstant? = nil) throws -> Rewritten {
        let bytes = Array(sql.utf8)
        var edits: [(range: Range<Int>, text: String)] = []
        var restorations: [(String, String)] = []
        var names: [(String, String)] = []
        for reference in accepted.tables {
            let table = try catalog.resolve(reference)
            let physical = table.physicalTable ?? ""
            var text = "`\(table.database)`.`\(physical)`"
            if let asOf, reference.systemTime == nil { text += " FOR SYSTEM_TIME AS OF \(asOf.sqlLiteral)" }
            let alias = " AS `\(reference.name.replacingOccurrences(of: "`", with: "``"))`"
            if !reference.hasAlias, reference.systemTime == nil { text += alias }
            edits.append((reference.source, text))
            if !reference.hasAlias, reference.systemTime != nil {
                edits.append((reference.aliasPosition..<reference.aliasPosition, alias))
            }
            // A column named by an expression (`(SELECT COUNT(*) FROM orders)`) is named with the
            // text the server ran: the reference as the user wrote it comes back first.
            restorations.append((text, String(decoding: bytes[reference.source], as: UTF8.self)))
            names.append(("`\(table.database)`.`\(physical)`", "`\(table.dataset)`.`\(table.name)`"))
            names.append(("\(table.database).\(physical)", "\(table.dataset).\(table.name)"))
            names.append((physical, table.name))
            names.append((table.database, table.dataset))
        }
        for range in accepted.namedParameterSources { edits.append((range, "?")) }
        edits.sort { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }
        restorations.sort { $0.0.utf8.count > $1.0.utf8.count }

        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + edits.count * 48)
        var position = 0
        for edit in edits {
            out.append(contentsOf: bytes[position..<edit.range.lowerBound])
            out.append(contentsOf: edit.text.utf8)
            position = edit.range.upperBound
        }
        out.append(contentsOf: bytes[position..<max(position, accepted.statementEnd)])
        return Rewritten(sql: String(decoding: out, as: UTF8.self), physicalToLogical: restorations + names)
    }

    /// A server message with physical names replaced by the ones the user wrote.
    static func translate(_ message: String, _ names: [(physical: String, logical: String)]) -> String {
        var text = message
        for (physical, logical) in names where text.contains(physical) {
            text = text.replacingOccurrences(of: physical, with: logical)
        }
        return text
    }
}

import Foundation
