/// The body of creating a named resource (project, dataset): a name and an optional description.
struct NamedResourceInput: Decodable {
    static let fields: Set<String> = ["name", "description"]
    static let descriptionLimit = NameRules.descriptionLimit

    let name: String
    let description: String?

    func validate() throws {
        try NameRules.validate(name)
        try Self.validate(description: description)
    }

    static func validate(description: String?) throws {
        try NameRules.validate(description: description)
    }
}

/// A merge patch of a named resource: an absent field stays, `"description": null` clears it.
struct NamedResourcePatch: Decodable {
    let name: String?
    let description: String??

    enum CodingKeys: String, CodingKey { case name, description }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        description = container.contains(.description)
            ? .some(try container.decodeIfPresent(String.self, forKey: .description)) : .none
    }

    func validate() throws {
        if let name { try NameRules.validate(name) }
        if let description { try NamedResourceInput.validate(description: description) }
    }
}
