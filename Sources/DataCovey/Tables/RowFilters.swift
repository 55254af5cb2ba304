import MariaDB

/// The row filters the rows list, the table page and exports take (`?col=eq.value`,
/// `lt.`, `gt.`, `like.`, `is.null`): parsed once here, for all three.
enum RowFilters {
    /// Filters from (column, expression) pairs, as the rows list and exports take them; a bad one
    /// is refused naming the column.
    static func parse(_ pairs: [(String, String)], columns: [RowStore.Column]) throws -> [RowStore.Filter] {
        let byName = Dictionary(columns.map { ($0.name.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        var filters: [RowStore.Filter] = []
        for (name, expression) in pairs {
            guard let column = byName[name.lowercased()] else {
                throw DomainError.invalid("There is no column \(name) to filter on.", errors: [.init(field: name, message: "is not a column")])
            }
            if expression == "is.null" {
                filters.append(.isNull(column.name))
                continue
            }
            guard let dot = expression.firstIndex(of: ".") else {
                throw DomainError.invalid("Filter \(name) must look like eq.value, lt.value, gt.value, like.pattern or is.null.",
                                           errors: [.init(field: name, message: "is not a filter")])
            }
            let op = String(expression[..<dot])
            let text = String(expression[expression.index(after: dot)...])
            if op == "like" {
                guard column.type.kind.matchesPatterns else {
                    throw DomainError.invalid("like works on \(Self.patternTypes) columns only.", errors: [.init(field: name, message: "cannot use like")])
                }
                filters.append(.like(column.name, .text(text)))
                continue
            }
            guard column.type.kind.canBeCompared else {
                throw DomainError.invalid("\(column.type.name) columns cannot be compared.", errors: [.init(field: name, message: "cannot be filtered")])
            }
            let value: MariaDBValue
            switch RowValueCodec.text(text, for: column.type) {
            case .success(let bound): value = bound
            case .failure(let problem): throw DomainError.invalid("Filter \(name) \(problem.message).", errors: [.init(field: name, message: problem.message)])
            }
            switch op {
            case "eq": filters.append(.equal(column.name, value))
            case "lt": filters.append(.less(column.name, value))
            case "gt": filters.append(.greater(column.name, value))
            default:
                throw DomainError.invalid("Filter operator \(op) is unknown; use eq, lt, gt, like or is.null.",
                                           errors: [.init(field: name, message: "has an unknown operator")])
            }
        }
        return filters
    }

    /// The types `like.` works on, for its message: "string and text".
    private static let patternTypes: String = {
        let names = ColumnType.offered.filter { $0.kind.matchesPatterns }.map(\.name)
        return names.count < 2 ? names.joined() : names.dropLast().joined(separator: ", ") + " and " + names.last!
    }()
}
