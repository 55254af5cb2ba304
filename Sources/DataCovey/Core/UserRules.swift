/// What a tenant member's e-mail, name and role must be, for the API and the admin pages.
enum UserRules {
    private static func invalid(_ field: String, _ message: String) -> DomainError {
        .invalid("Field \(field) \(message).", errors: [.init(field: field, message: message)])
    }

    /// The address lower-cased, as it is stored and matched at sign-in. One rule for the API,
    /// the pages and `datacovey-admin user add`: a dot-atom local part (RFC 5322) and a domain
    /// of two or more host-name labels (letters, digits, inner hyphens) — what the API document
    /// declares as `format: email`, so no stored address ever contradicts it.
    static func email(_ email: String) throws -> String {
        guard isEmail(email) else { throw invalid("email", "is not an e-mail address") }
        return email.lowercased()
    }

    static func isEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, email.utf8.count <= 320, parts[0].utf8.count <= 64 else { return false }
        let localSpecials = Set("!#$%&'*+/=?^_`{|}~-".utf8)
        let atoms = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        guard atoms.allSatisfy({ atom in
            !atom.isEmpty && atom.utf8.allSatisfy { isAlphanumeric($0) || localSpecials.contains($0) }
        }) else { return false }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && labels.allSatisfy { label in
            (1...63).contains(label.utf8.count) && label.first != "-" && label.last != "-"
                && label.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
        } && labels.last.map { $0.utf8.allSatisfy { !($0 >= 0x30 && $0 <= 0x39) } } == true
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
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
