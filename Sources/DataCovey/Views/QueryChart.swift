import Foundation

/// A simple SVG chart of a query result, drawn on the server (no script). The user chooses the
/// kind (bar or line) and the columns for x and y; by default x is the first label column
/// (text, date or time) and y the first number that is not an id, as a line over dates and
/// times and as bars otherwise. Rows whose x or y is NULL are left out. At most `limit` points.
struct QueryChart {
    static let limit = 50
    static let width = 640.0, height = 260.0
    static let left = 70.0, right = 630.0, top = 12.0, bottom = 220.0

    /// What the user asked for: nil or "auto" chooses; "none" draws nothing.
    struct Choice {
        var kind: String?
        var x: String?
        var y: String?

        init(kind: String? = nil, x: String? = nil, y: String? = nil) {
            self.kind = kind.flatMap { ["bar", "line", "none"].contains($0) ? $0 : nil }
            self.x = x.flatMap { $0.isEmpty ? nil : $0 }
            self.y = y.flatMap { $0.isEmpty ? nil : $0 }
        }
    }

    /// An id is never a measure: `id`, `…_id`.
    private static func looksLikeID(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return lowered == "id" || lowered.hasSuffix("_id")
    }

    static func isLabel(_ kind: QueryColumn.Kind) -> Bool { role(of: kind).map { $0 != .value } ?? false }
    static func isNumber(_ kind: QueryColumn.Kind) -> Bool { role(of: kind) == .value }

    /// The x and y columns the chart uses for `choice`, or nil when the result has none to plot.
    static func axes(_ columns: [QueryColumn], _ choice: Choice) -> (x: Int, y: Int)? {
        let chosenX = choice.x.flatMap { name in columns.firstIndex { $0.name == name } }
        let chosenY = choice.y.flatMap { name in columns.firstIndex { $0.name == name && isNumber($0.kind) } }
        guard let x = chosenX ?? columns.firstIndex(where: { isLabel($0.kind) && !looksLikeID($0.name) })
                ?? columns.firstIndex(where: { isLabel($0.kind) }),
              let y = chosenY ?? columns.indices.first(where: { $0 != x && isNumber(columns[$0].kind) && !looksLikeID(columns[$0].name) })
        else { return nil }
        return (x, y)
    }

    /// The template context of the chart, or nil when there is nothing to plot (or "none").
    static func context(columns: [QueryColumn], cell: (Int, Int) -> String?, rowCount: Int,
                        choice: Choice = Choice()) -> [String: Any]? {
        guard choice.kind != "none", let (labelIndex, valueIndex) = axes(columns, choice) else { return nil }
        let points: [(label: String, value: Double, text: String)] = (0..<min(rowCount, limit)).compactMap { row in
            guard let text = cell(row, valueIndex), let value = Double(text), let label = cell(row, labelIndex) else { return nil }
            return (label, value, text)
        }
        guard !points.isEmpty else { return nil }
        let isLine = choice.kind.map { $0 == "line" } ?? (Self.role(of: columns[labelIndex].kind) == .timeLabel)
        let low = min(0, points.map(\.value).min() ?? 0)
        var high = points.map(\.value).max() ?? 1
        if high == low { high = low + 1 }
        func y(_ value: Double) -> Double { bottom - (value - low) / (high - low) * (bottom - top) }
        let slot = (right - left) / Double(points.count)
        let every = max(1, Int((Double(points.count) / 10).rounded(.up)))
        var context: [String: Any] = [
            "width": Int(width), "height": Int(height), "left": left, "right": right, "top": top, "bottom": bottom,
            "label_x": left - 6, "top_label_y": top + 10,
            "max_label": Self.number(high), "min_label": Self.number(low),
            "title": "\(columns[valueIndex].name) by \(columns[labelIndex].name)",
            "ticks": points.enumerated().compactMap { index, point -> [String: Any]? in
                guard index % every == 0 else { return nil }
                return ["x": Self.round(left + slot * (Double(index) + 0.5)), "y": bottom + 16,
                        "text": point.label.count > 12 ? String(point.label.prefix(11)) + "…" : point.label]
            },
        ]
        if isLine {
            let placed = points.enumerated().map { index, point in
                (x: Self.round(left + slot * (Double(index) + 0.5)), y: Self.round(y(point.value)), point: point)
            }
            context["line"] = ["points": placed.map { "\($0.x),\($0.y)" }.joined(separator: " ")]
            context["dots"] = placed.map { ["x": $0.x, "y": $0.y, "label": $0.point.label, "value": $0.point.text] as [String: Any] }
        } else {
            context["bars"] = points.enumerated().map { index, point -> [String: Any] in
                let top = y(max(point.value, 0)), base = y(min(point.value, 0))
                return ["x": Self.round(left + slot * Double(index) + slot * 0.15), "y": Self.round(top),
                        "w": Self.round(slot * 0.7), "h": Self.round(max(base - top, 1)), "label": point.label, "value": point.text]
            }
        }
        return context
    }

    /// What a column can be in a chart, by how its cells render (a column type's `cellKind`):
    /// labels along the axis (times make a line), values to plot, or nothing.
    enum Role { case label, timeLabel, value }

    static func role(of kind: QueryColumn.Kind) -> Role? {
        switch kind {
        case .text: .label
        case .date, .timestamp: .timeLabel
        case .integer, .double, .decimal: .value
        case .bool, .json, .time, .binary, .null: nil
        }
    }

    private static func round(_ value: Double) -> Double { (value * 10).rounded() / 10 }

    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(format: "%.2f", value)
    }
}
