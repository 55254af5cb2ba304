/// A tenant member's role, lowest to highest: viewers read, users also write data and run
/// jobs, admins also manage people, restore and revert.
public enum Role: String, Sendable, Codable, Comparable, CaseIterable {
    case viewer, user, admin

    private var rank: Int {
        switch self {
        case .viewer: 0
        case .user: 1
        case .admin: 2
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
}
