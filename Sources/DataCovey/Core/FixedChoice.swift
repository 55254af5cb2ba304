/// A value the API takes from a fixed list (a format, a mode): decoding a value not on the list
/// fails with "must be one of …" naming the list, which the edges show as the field's message,
/// instead of Swift's "Cannot initialize … from invalid String value".
protocol FixedChoice: RawRepresentable, CaseIterable, Decodable where RawValue == String {}

extension FixedChoice {
    /// "a, b or c".
    static var listed: String {
        let names = allCases.map(\.rawValue)
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "")
    }

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Self(rawValue: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "must be \(Self.listed)")
        }
        self = value
    }
}
