import Foundation
import MariaDB

/// How `GET /api/v1/tables/{id}/rows` answers: the page as JSON (the default), CSV or NDJSON
/// by `Accept`, written as exports write those formats; `Prefer: count=exact|estimated` read;
/// `Content-Range` (PostgREST's `0-24/1234`, `*/1234` for an empty page, `/*` uncounted);
/// in CSV and NDJSON the next page's cursor in `Link: <…>; rel="next"`.
enum RowPageResponse {
    enum Format: String {
        case json = "application/json"
        case csv = "text/csv"
        case ndjson = "application/x-ndjson"
    }

    /// The format `Accept` asks for: the first listed media type (ranges and `q` weights read,
    /// the highest weight winning, then the order written) that is one of these; JSON when
    /// absent; nil (406) when nothing listed matches.
    static func format(accept: String?) -> Format? {
        guard let accept, !accept.trimmingCharacters(in: .whitespaces).isEmpty else { return .json }
        var best: (format: Format, weight: Double)?
        for item in accept.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            var weight = 1.0
            for parameter in parts.dropFirst() where parameter.hasPrefix("q=") {
                weight = Double(parameter.dropFirst(2)) ?? 0
            }
            guard weight > 0, let type = parts.first else { continue }
            let format: Format? = switch type {
            case "application/json", "application/*", "*/*": .json
            case "text/csv", "text/*": .csv
            case "application/x-ndjson", "application/ndjson": .ndjson
            default: nil
            }
            if let format, weight > (best?.weight ?? 0) { best = (format, weight) }
        }
        return best?.format
    }

    /// `Prefer: count=exact|estimated` among the header's preferences; nil for no count (and
    /// for `count=planned`, which has no meaning here, so `Preference-Applied` leaves it out).
    static func count(prefer: String?) -> RowOperations.RowCount? {
        guard let prefer else { return nil }
        for preference in prefer.split(separator: ",") {
            let text = preference.trimmingCharacters(in: .whitespaces).lowercased()
            if text.hasPrefix("count="), let count = RowOperations.RowCount(rawValue: String(text.dropFirst(6))) { return count }
        }
        return nil
    }

    /// `first-last/total`: `*` for an empty page's range and for a total not counted.
    static func contentRange(_ page: RowOperations.RowPage) -> String {
        let range = page.rows.isEmpty ? "*" : "\(page.offset)-\(page.offset + Int64(page.rows.count) - 1)"
        return "\(range)/\(page.total.map(String.init) ?? "*")"
    }

    static func response(_ page: RowOperations.RowPage, format: Format, count: RowOperations.RowCount?,
                         nextLink: (String) -> String) -> Response {
        var headers: [(String, String)] = [("Content-Range", contentRange(page))]
        if let count { headers.append(("Preference-Applied", "count=\(count.rawValue)")) }
        switch format {
        case .json:
            headers.append(("Content-Type", "application/json"))
            return Response(status: 200, headers: headers, body: .bytes(json(page)))
        case .csv, .ndjson:
            let encoder = ExportEncoder(columns: page.columns, format: format == .csv ? .csv : .ndjson)
            let kinds = page.columns.map { $0.type.kind.cellKind }
            var body: [UInt8] = []
            encoder.header(into: &body)
            for row in page.rows { encoder.append(CellTextFields(row.cells, kinds: kinds), into: &body) }
            headers.append(("Content-Type", format == .csv ? "text/csv; charset=utf-8" : "application/x-ndjson"))
            if let next = page.nextCursor { headers.append(("Link", "<\(nextLink(next))>; rel=\"next\"")) }
            return Response(status: 200, headers: headers, body: .bytes(body))
        }
    }

    /// `{"items":[…],"next_cursor":…}`: each row's object as `RowJSON` writes every row the
    /// rows API answers with, in the selected columns' order.
    static func json(_ page: RowOperations.RowPage) -> [UInt8] {
        let rows = RowJSON(columns: page.columns)
        var body = Array("{\"items\":[".utf8)
        for (index, row) in page.rows.enumerated() {
            if index > 0 { body.append(0x2C) }
            rows.object(row.cells, into: &body)
        }
        body.append(contentsOf: "],\"next_cursor\":".utf8)
        if let next = page.nextCursor {
            ByteText.jsonString(next.utf8, into: &body)
        } else {
            body.append(contentsOf: "null".utf8)
        }
        body.append(0x7D)
        return body
    }
}
