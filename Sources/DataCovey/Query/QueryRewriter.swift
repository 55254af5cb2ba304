/// Turns an accepted query into what the server runs: each table reference becomes its
/// physical `dcd_…`.`tbl_…` (keeping the written name as alias, so `sales.amount` still
/// works), and each `:name` marker becomes `?`, bound by position.
struct QueryRewriter {
    struct Rewritten: Sendable {
        let sql: String
        /// Logical names for physical ones, to translate the server's error messages and the
        /// result's column names back: each rewritten reference to what the user wrote, then
        /// each physical name to its logical one.
        let physicalToLogical: [(physical: String, logical: String)]
    }

    static func rewrite(_ sql: String, accepted: SQLGuard.Accepted, catalog: QueryCatalog) throws -> Rewritten {
        let bytes = Array(sql.utf8)
        var edits: [(range: Range<Int>, text: String)] = []
        var restorations: [(String, String)] = []
        var names: [(String, String)] = []
        for reference in accepted.tables {
            let table = try catalog.resolve(reference)
            let physical = table.physicalTable ?? ""
            var text = "`\(table.database)`.`\(physical)`"
            if !reference.hasAlias { text += " AS `\(reference.name.replacingOccurrences(of: "`", with: "``"))`" }
            edits.append((reference.source, text))
            // A column named by an expression (`(SELECT COUNT(*) FROM orders)`) is named with the
            // text the server ran: the reference as the user wrote it comes back first.
            restorations.append((text, String(decoding: bytes[reference.source], as: UTF8.self)))
            names.append(("`\(table.database)`.`\(physical)`", "`\(table.dataset)`.`\(table.name)`"))
            names.append(("\(table.database).\(physical)", "\(table.dataset).\(table.name)"))
            names.append((physical, table.name))
            names.append((table.database, table.dataset))
        }
        for range in accepted.namedParameterSources { edits.append((range, "?")) }
        edits.sort { $0.range.lowerBound < $1.range.lowerBound }
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
