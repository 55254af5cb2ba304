/// A path pattern such as `/api/v1/projects/{id:int}`: literal segments and typed captures.
struct RoutePattern: Sendable, CustomStringConvertible {
    enum Segment: Sendable, Equatable {
        case literal(String)
        /// `{name}`: any non-empty segment.
        case string(String)
        /// `{name:int}`: a positive integer id without leading zeros or sign.
        case int(String)
    }

    let segments: [Segment]
    let description: String

    init(_ pattern: String) {
        precondition(pattern.hasPrefix("/"), "route patterns start with /: \(pattern)")
        description = pattern
        segments = pattern.split(separator: "/", omittingEmptySubsequences: true).map { part in
            guard part.hasPrefix("{"), part.hasSuffix("}") else { return .literal(String(part)) }
            let inner = part.dropFirst().dropLast()
            let pieces = inner.split(separator: ":", maxSplits: 1)
            let name = String(pieces[0])
            if pieces.count == 2 {
                precondition(pieces[1] == "int", "unknown parameter type in \(pattern)")
                return .int(name)
            }
            return .string(name)
        }
    }

    /// The captured parameters when `path` (already split and percent-decoded) matches.
    func match(_ path: [String]) -> RouteParameters? {
        guard path.count == segments.count else { return nil }
        var parameters = RouteParameters()
        for (segment, value) in zip(segments, path) {
            switch segment {
            case .literal(let literal):
                guard literal == value else { return nil }
            case .string(let name):
                guard !value.isEmpty else { return nil }
                parameters.set(name, value)
            case .int(let name):
                guard Self.isID(value) else { return nil }
                parameters.set(name, value)
            }
        }
        return parameters
    }

    static func isID(_ text: String) -> Bool {
        guard let first = text.utf8.first, first != UInt8(ascii: "0"), text.utf8.count <= 18 else { return false }
        return text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
