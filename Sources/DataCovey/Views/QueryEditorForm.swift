import Foundation

/// What the query editor's form holds: the SQL, the saved query it was opened from, a value and
/// a type for every `:name` the SQL uses, and the chart the user chose. Read from a POST, or
/// filled from a saved query or an earlier run for a GET.
struct QueryEditorForm {
    /// One `:name` of the SQL: its type (a saved query's declaration until the user chooses
    /// another) and the value typed (a declared default until the user types another).
    struct Parameter {
        let name: String
        let type: String
        let value: String
    }

    /// The types a `:name` can be given: those a value can be typed as in a form.
    static let parameterTypes = ["string", "int64", "float64", "decimal(18,2)", "bool", "date", "timestamp"]

    var sql: String
    /// The saved query the editor was opened from: saving changes, renaming and deleting act
    /// on it, whatever the SQL now is.
    var opened: SavedQuery?
    var parameters: [Parameter]
    var chart = QueryChart.Choice()
    /// The "as of" field: when set, the run reads every table (without a FOR SYSTEM_TIME clause
    /// of its own) as it was then (QueryRewriter). Empty: as it is now.
    var asOf = ""

    /// The saved query a run is recorded as: the opened one while its SQL is unchanged.
    var saved: SavedQuery? { opened.flatMap { $0.sql == sql ? $0 : nil } }

    /// The form as posted, opened from `opened` if the form names a saved query.
    init(fields: [String: String], opened: SavedQuery?) {
        let sql = fields["sql"] ?? ""
        self.sql = sql
        self.opened = opened
        parameters = Self.parameters(sql: sql, declared: opened?.parameters ?? []) { name in
            (fields["param_" + name], fields["type_" + name])
        }
        chart = QueryChart.Choice(kind: fields["chart"], x: fields["chart_x"], y: fields["chart_y"])
        asOf = fields["as_of"]?.trimmingCharacters(in: .whitespaces) ?? ""
    }

    /// A saved query as it opens: its SQL, its declared defaults as the values.
    init(saved query: SavedQuery) {
        sql = query.sql
        opened = query
        parameters = Self.parameters(sql: query.sql, declared: query.parameters) { _ in (nil, nil) }
    }

    /// An earlier run opened again: its SQL and the values it ran with.
    init(run: QueryRun, saved query: SavedQuery?) {
        sql = run.sql
        opened = query
        let given: [String: JSONValue] = if case .object(let values)? = run.params { values } else { [:] }
        parameters = Self.parameters(sql: run.sql, declared: query?.parameters ?? []) { name in
            (given[name].map(Pages.text), given[name].map(Self.typeName))
        }
    }

    /// Every `:name` in the order the SQL first uses it (the guard's reading of the SQL; none
    /// when it cannot read it — the run then says why).
    private static func parameters(sql: String, declared: [QueryParameter],
                                   given: (String) -> (value: String?, type: String?)) -> [Parameter] {
        let names = (try? QueryPlan.check(sql).namedParameters) ?? declared.map(\.name)
        var seen: Set<String> = []
        return names.filter { seen.insert($0).inserted }.map { name in
            let (value, type) = given(name)
            let declaration = declared.first { $0.name == name }
            // A chosen type must be one the form offers or the declared one.
            let chosen = type.flatMap { parameterTypes.contains($0) || $0 == declaration?.type ? $0 : nil }
            return Parameter(name: name, type: chosen ?? declaration?.type ?? "string",
                             value: value ?? declaration?.default.map(Pages.text) ?? "")
        }
    }

    /// The type a value given to an earlier ad hoc run suggests.
    private static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .integer: "int64"
        case .number: "float64"
        case .bool: "bool"
        default: "string"
        }
    }

    /// The values to run with: the typed ones (an empty input means "not given", so a declared
    /// default applies and a missing value is named by the run).
    var params: JSONValue? {
        var values: [String: JSONValue] = [:]
        for parameter in parameters where !parameter.value.isEmpty {
            values[parameter.name] = Self.jsonValue(parameter.value, type: parameter.type)
        }
        return values.isEmpty ? nil : .object(values)
    }

    /// The declarations an ad hoc run is typed by, and a saved query is saved with: the chosen
    /// types, with the values typed as defaults.
    var declarations: [QueryParameter] {
        parameters.map { parameter in
            QueryParameter(name: parameter.name, type: parameter.type,
                           default: parameter.value.isEmpty ? nil : Self.jsonValue(parameter.value, type: parameter.type))
        }
    }

    /// A form's text as the JSON value the API would have been sent for a parameter's type.
    static func jsonValue(_ text: String, type: String) -> JSONValue {
        ColumnType(type)?.kind.formValue(text) ?? .string(text)
    }

    /// The template context of the form's fields.
    var context: [String: Any] {
        var context: [String: Any] = [
            "sql": sql, "has_parameters": !parameters.isEmpty, "as_of": asOf,
            "parameters": parameters.map { parameter -> [String: Any] in
                let types = Self.parameterTypes.contains(parameter.type) ? Self.parameterTypes : [parameter.type] + Self.parameterTypes
                return ["name": parameter.name, "type": parameter.type, "field": "param_" + parameter.name, "value": parameter.value,
                        "type_field": "type_" + parameter.name,
                        "types": types.map { ["value": $0, "selected": $0 == parameter.type] as [String: Any] }]
            },
        ]
        if let opened {
            context["saved_id"] = opened.id
            context["saved_name"] = opened.name
            context["saved_version"] = opened.version
            context["saved_edited"] = opened.sql != sql
        }
        return context
    }
}
