/// The name-and-description form every create page has (projects, datasets): read, validated as
/// the API validates, and on a refusal the page again with the message next to the field and
/// what was typed kept.
struct NamedResourceForm {
    let name: String
    let description: String?

    init(_ form: [String: String]) {
        name = (form["name"] ?? "").trimmingCharacters(in: .whitespaces)
        description = form["description"].flatMap { $0.isEmpty ? nil : $0 }
    }

    func validate() throws {
        try NameRules.validate(name)
        try NameRules.validate(description: description)
    }

    /// Runs `create`; a 400 or 409 becomes the page's form context (422 or 409) instead.
    func submit(_ create: () throws -> Response, refused: (_ status: Int, _ form: [String: Any]) throws -> Response) throws -> Response {
        do {
            try validate()
            return try create()
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            let field = error.fields.first?.field ?? "name"
            return try refused(error.kind == .conflict ? 409 : 422, [
                "input_name": name, "input_description": description ?? "",
                field == "name" ? "name_error" : "form_error": error.detail,
            ])
        }
    }
}
