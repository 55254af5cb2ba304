/// The column a header or member name stands for when it cannot be a column name itself
/// (`On Street` → `on_street`, `key` → `key_`, `2nd` → `c_2nd`): one rule, used when an
/// autodetect import names its columns and when later imports match their headers and members,
/// so a real-world file loads again into the table it defined.
enum ColumnNames {
    /// `name` made into a valid column name; empty when nothing of it is usable.
    static func fitted(_ name: String) -> String {
        var out = ""
        var pendingSeparator = false
        for scalar in name.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                if pendingSeparator && !out.isEmpty { out.append("_") }
                pendingSeparator = false
                out.unicodeScalars.append(scalar)
            } else {
                pendingSeparator = true
            }
        }
        guard let first = out.unicodeScalars.first else { return "" }
        if ("0"..."9").contains(first) { out = "c_" + out }
        if out.count > NameRules.maximumLength - 1 { out = String(out.prefix(NameRules.maximumLength - 1)) }
        if NameRules.problem(with: out, isColumn: true) != nil { out += "_" }
        return out
    }

    /// A name as it stands when it is a valid column name, else `fitted(name)`.
    static func column(for name: String) -> String {
        NameRules.problem(with: name, isColumn: true) == nil ? name : fitted(name)
    }
}
