import Foundation

/// A simple SVG chart of a query result, drawn on the server (no script): when the result has a
/// label column (text, date or timestamp) and a numeric column, the first of each make a bar
/// chart, or a line chart when the labels are dates or times. At most `limit` points.
struct QueryChart {
    static let limit = 50
    static let width = 640.0, height = 260.0
    static let left = 70.0, right = 630.0, top = 12.0, bottom = 220.0

    /// The template context of the chart, or nil when the result has no label and number to plot.
    static func context(columns: [QueryColumn], cell: (Int, Int) -> String?, rowCount: Int) -> [String: Any]? {
        guard let labelIndex = columns.firstIndex(where: { Self.role(of: $0.kind).map { $0 != .value } ?? false }),
              let valueIndex = columns.firstIndex(where: { Self.role(of: $0.kind) == .value }) else { return nil }
        let points: [(label: String, value: Double, text: String)] = (0..<min(rowCount, limit)).compactMap { row in
            guard let text = cell(row, valueIndex), let value = Double(text) else { return nil }
            return (cell(row, labelIndex) ?? "NULL", value, text)
        }
        guard !points.isEmpty else { return nil }
        let isLine = Self.role(of: columns[labelIndex].kind) == .timeLabel
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
