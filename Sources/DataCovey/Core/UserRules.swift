/// What a tenant member's e-mail, name and role must be, for the API and the admin pages.
enum UserRules {
    private static func invalid(_ field: String, _ message: String) -> DomainError {
        .invalid("Field \(field) \(message).", errors: [.init(field: field, message: message)])
    }

    /// The address lower-cased, as it is stored and matched at sign-in.
    static func email(_ email: String) throws -> String {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), email.utf8.count <= 320,
              !email.contains(where: { $0 == " " || $0.isNewline }) else { throw invalid("email", "is not an e-mail address") }
        return email.lowercased()
    }

    static func name(_ name: String) throws -> String {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 200 else { throw invalid("name", "must be 1–200 characters") }
        return trimmed
    }

    static func role(_ role: String) throws -> Role {
        guard let role = Role(rawValue: role) else { throw invalid("role", "must be admin, user or viewer") }
        return role
    }
}
