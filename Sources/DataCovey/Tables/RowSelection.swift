import Foundation

/// `?select=a,b` of a rows list: the columns a page returns, in this order (PostgREST's
/// vertical filtering, without renames or casts). Refused naming `select` for a name that is
/// no column, a repeated one or an empty list.
struct RowSelection {
    let columns: [RowStore.Column]
    /// Each selected column's position among the table's columns.
    let positions: [Int]

    init(_ text: String?, columns all: [RowStore.Column]) throws {
        guard let text else {
            columns = all
            positions = Array(all.indices)
            return
        }
        func bad(_ message: String, _ detail: String) -> DomainError {
            DomainError.invalid(detail, errors: [.init(field: "select", message: message)])
        }
        var positions: [Int] = []
        for name in text.split(separator: ",", omittingEmptySubsequences: false) {
            let wanted = name.trimmingCharacters(in: .whitespaces).lowercased()
            if wanted == "*" {
                positions += all.indices.filter { !positions.contains($0) }
                continue
            }
            guard let position = all.firstIndex(where: { $0.name.lowercased() == wanted }) else {
                throw bad("names no column", "There is no column \(name.prefix(64)) to select.")
            }
            guard !positions.contains(position) else { throw bad("names \(all[position].name) twice", "select names the column \(all[position].name) twice.") }
            positions.append(position)
        }
        self.columns = positions.map { all[$0] }
        self.positions = positions
    }
}
