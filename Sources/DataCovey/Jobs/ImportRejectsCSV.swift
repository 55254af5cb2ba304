/// An import's rejected records as a CSV download, for the API (`Accept: text/csv`) and the
/// job page's link alike.
enum ImportRejectsCSV {
    static func response(_ rejects: [ImportReject], job id: Int64) -> Response {
        var csv = CSVText.record(["line", "column", "value", "reason"])
        for reject in rejects {
            csv += CSVText.record([String(reject.line), reject.column ?? "", reject.value ?? "", reject.reason])
        }
        return Response(status: 200, headers: [("Content-Type", "text/csv; charset=utf-8"),
                                               ("Content-Disposition", "attachment; filename=\"import-\(id)-rejects.csv\"")],
                        body: .bytes(Array(csv.utf8)))
    }
}
