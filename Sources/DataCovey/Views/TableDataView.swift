/// The table page's data tab as its URL asks for it: any number of filter conditions
/// (`f_column`, `f_op`, `f_value`, repeated), an order, the page's cursor and the cursors of
/// the pages before it (`back`, so "previous" needs no offset scan), and the links that keep
/// all of it.
struct TableDataView {
    struct Condition: Equatable {
        var column: String
        var op: String
        var value: String

        /// Whether the operator takes no value (`is.null`, `not.is.null`, `is.true`, …).
        var takesNoValue: Bool { op.hasPrefix("is.") || op.hasPrefix("not.is.") }
        /// A condition the form left half empty is not a filter.
        var isComplete: Bool { !column.isEmpty && (takesNoValue || !value.isEmpty) }
        /// As `RowFilters` reads it: `column`, `op.value`.
        var pair: (String, String) { (column, takesNoValue ? op : "\(op).\(value)") }
    }

    let table: Int64
    var conditions: [Condition]
    var order: String?
    /// Where this page starts (nil: the first page).
    var cursor: String?
    /// Where each earlier page started, oldest first ("" for the first page).
    var back: [String]
    /// The column whose top values the facet box shows (`_facet`), nil for none.
    var facet: String?
    /// The instant the view shows the table at (`as_of`, as typed); nil: now.
    var asOf: String?

    /// Cursors are base64url, so `~` cannot occur in one.
    private static let separator: Character = "~"

    init(table: Int64, query: [(name: String, value: String)]) {
        self.table = table
        var conditions: [Condition] = []
        var order: String?, cursor: String?, back: [String] = [], facet: String?, asOf: String?
        for (name, value) in query {
            switch name {
            case "f_column": conditions.append(Condition(column: value, op: "eq", value: ""))
            case "f_op": if !conditions.isEmpty { conditions[conditions.count - 1].op = value }
            case "f_value": if !conditions.isEmpty { conditions[conditions.count - 1].value = value }
            case "order": order = value.isEmpty ? nil : value
            case "_facet": facet = value.isEmpty ? nil : value
            case "as_of": asOf = value.trimmingCharacters(in: .whitespaces).isEmpty ? nil : value
            case "cursor": cursor = value.isEmpty ? nil : value
            case "back": back = value.split(separator: Self.separator, omittingEmptySubsequences: false).map { $0 == "-" ? "" : String($0) }
            default: break
            }
        }
        self.conditions = conditions.filter(\.isComplete)
        self.order = order
        self.cursor = cursor
        self.back = cursor == nil ? [] : back
        self.facet = facet
        self.asOf = asOf
    }

    var filters: [(String, String)] { conditions.map(\.pair) }

    /// The link to this view with some parts changed.
    func link(conditions: [Condition]? = nil, order: String?? = nil, cursor: String?? = nil, back: [String]? = nil) -> String {
        var pairs = viewPairs(conditions: conditions ?? self.conditions, order: order ?? self.order)
        if let facet { pairs.append(("_facet", facet)) }
        if let cursor = cursor ?? self.cursor {
            pairs.append(("cursor", cursor))
            let earlier = back ?? self.back
            if !earlier.isEmpty { pairs.append(("back", earlier.map { $0.isEmpty ? "-" : $0 }.joined(separator: String(Self.separator)))) }
        }
        return "/tables/\(table)?" + FormEncoding.encode([("tab", "data")] + pairs) + "#data"
    }

    /// The conditions, order and instant as query pairs (the page's links, its downloads).
    func viewPairs(conditions: [Condition]? = nil, order: String?? = nil) -> [(String, String)] {
        var pairs: [(String, String)] = []
        for condition in conditions ?? self.conditions {
            pairs += [("f_column", condition.column), ("f_op", condition.op), ("f_value", condition.value)]
        }
        if let order = order ?? self.order { pairs.append(("order", order)) }
        // The instant stays with the view: its facets, downloads and pages show that time.
        if let asOf { pairs.append(("as_of", asOf)) }
        return pairs
    }

    /// "This view as CSV/JSON": every row the conditions select, in the view's order.
    func downloadLink(_ format: String) -> String {
        "/tables/\(table)/view.\(format)" + (viewPairs().isEmpty ? "" : "?" + FormEncoding.encode(viewPairs()))
    }

    /// This view with one more condition (a facet's value), from its first page.
    func addingLink(_ condition: Condition) -> String {
        link(conditions: conditions + [condition], cursor: .some(nil), back: [])
    }

    /// The page after this one, which starts at `next`.
    func nextLink(_ next: String) -> String { link(cursor: .some(next), back: back + [cursor ?? ""]) }

    /// The page before this one; nil on the first page.
    var previousLink: String? {
        guard cursor != nil, let previous = back.last else { return nil }
        return link(cursor: .some(previous.isEmpty ? nil : previous), back: Array(back.dropLast()))
    }

    /// Sorting by a column starts again at the first page.
    func sortLink(_ column: String) -> String {
        link(order: .some(order == "\(column).asc" ? "\(column).desc" : "\(column).asc"), cursor: .some(nil), back: [])
    }
}
