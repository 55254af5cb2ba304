import MariaDB

/// The table page's data tab, Datasette style: a facet box (`_facet=column`: its top values
/// among the rows the current conditions select, with counts, each a link that adds that value
/// as a condition) and "this view as CSV / JSON" (`GET /tables/{id}/view.csv|json`: every row
/// the conditions select, in the view's order, streamed whole as an export writes it).
extension TablePages {
    /// How many values the facet box shows.
    static let facetValues = 10

    /// The facet box's context: the column choice, and the chosen column's top values.
    func facetContext(_ view: TableDataView, columns: [RowStore.Column], store: RowStore?,
                      filters: [RowStore.Filter]?, into context: inout [String: Any]) {
        context["facet_columns"] = columns.map { ["name": $0.name, "selected": $0.name == view.facet] as [String: Any] }
        context["view_csv_url"] = view.downloadLink("csv")
        context["view_json_url"] = view.downloadLink("json")
        context["view_pairs"] = view.viewPairs().map { ["name": $0.0, "value": $0.1] }
        context["facet_limit"] = Self.facetValues
        guard let name = view.facet else { return }
        guard let column = columns.first(where: { $0.name == name }) else {
            context["facet_error"] = "There is no column \(name.prefix(64)) to show values of."
            return
        }
        guard column.type.kind.canBeCompared else {
            context["facet_error"] = "\(column.name) is a \(column.type.name) column: its values cannot be counted or filtered on, so it has no facet."
            return
        }
        // No store (no rows yet) or conditions that do not apply (said beside the filter form).
        guard let store, let filters else { return }
        context["facet_name"] = column.name
        do {
            let kind = column.type.kind.cellKind
            let values = try store.facet(column, filters: filters, limit: Self.facetValues)
            context["facet_values"] = values.map { value, count -> [String: Any] in
                let shown = CellDisplay.tableCell(value, kind: kind)
                var entry = CellDisplay.context(shown)
                entry["facet_count"] = count
                switch shown {
                case .null: entry["facet_url"] = view.addingLink(.init(column: column.name, op: "is.null", value: ""))
                case .text(let text): entry["facet_url"] = view.addingLink(.init(column: column.name, op: "eq", value: text))
                // The page's conditions cannot say "equals empty text"; the value is shown, not linked.
                case .emptyText: entry["facet_url"] = ""
                }
                return entry
            }
            context["has_facet_values"] = !values.isEmpty
        } catch let error as DomainError where error.kind == .invalid {
            context["facet_error"] = error.detail
        } catch {
            context["facet_error"] = "The values could not be counted."
        }
    }

    /// `GET /tables/{id}/view.csv` and `/view.json`: the rows the page's conditions select, in
    /// its order, every one of them (streamed, as exports stream: the server's text of each
    /// value, written by `ExportEncoder`); json is an array of the objects NDJSON would hold.
    func downloadView(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request) { caller, connection, _ in
            let (table, dataset) = try TableOperations(caller: caller.identity, connection: connection, databases: databases).find(id)
            let columns = RowOperations.columns(of: table)
            guard let physical = table.physicalName, let database = dataset.dataDatabase, !columns.isEmpty else {
                throw HTTPError.conflict("The table has no columns yet: its first import defines them.")
            }
            let view = TableDataView(table: id, query: request.raw.query.map { ($0.name, $0.value) })
            let filters: [RowStore.Filter]
            let order: RowOrder?
            let asOf: AsOf?
            do {
                filters = try RowFilters.parse(view.filters, columns: columns)
                order = try RowOrder(view.order, columns: columns)
                asOf = try TimeTravelOperations(caller: caller.identity, connection: connection, databases: databases).asOf(view.asOf)
            } catch let error as DomainError where error.kind == .invalid {
                throw HTTPError.badRequest(error.detail, errors: error.fields.map { .init(field: $0.field, message: $0.message) })
            }
            let databases = self.databases
            let csv = request.path.hasSuffix(".csv")
            let name = table.name
            return Response(status: 200, headers: [
                ("Content-Type", csv ? "text/csv; charset=utf-8" : "application/json"),
                ("Content-Disposition", "attachment; filename=\"\(name).\(csv ? "csv" : "json")\""),
            ], body: .stream { writer in
                var store = RowStore(databases: databases, database: database, table: physical, columns: columns)
                store.asOf = asOf
                let encoder = ExportEncoder(columns: columns, format: csv ? .csv : .ndjson)
                var buffer: [UInt8] = csv ? [] : [0x5B, 0x0A]
                encoder.header(into: &buffer)
                var first = true
                try store.streamText(filters, order: order) { row in
                    if !csv && !first { buffer.append(0x2C) }
                    first = false
                    encoder.append(row, into: &buffer)
                    if buffer.count >= 1 << 20 {
                        try writer.write(buffer)
                        buffer.removeAll(keepingCapacity: true)
                    }
                }
                if !csv { buffer += [0x5D, 0x0A] }
                try writer.write(buffer)
            })
        }
    }
}
