import Foundation

extension Request {
    /// The largest JSON body an endpoint reads into memory (uploads stream instead).
    static let jsonBodyLimit = 1 << 20

    /// Decodes the JSON body as `T`, refusing what a strict API should: another media type (415),
    /// a body over 1 MiB (413), malformed JSON (400, trailing commas and a member named twice
    /// included), fields `T` does not know (400, naming them), and values of the wrong type (400,
    /// naming the field).
    public func decodeJSON<T: Decodable>(_ type: T.Type, allowedFields: Set<String>) throws -> T {
        let bytes = try jsonBodyBytes(limit: Self.jsonBodyLimit)
        do {
            try bytes.withUnsafeBufferPointer { buffer throws(JSONScanner.Failure) in try JSONScanner.checkBody(buffer) }
        } catch {
            throw HTTPError.badRequest("The body is not valid JSON: it \(error.reason) (at byte \(error.offset + 1)).")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) else {
            throw HTTPError.badRequest("The body is not valid JSON.")
        }
        guard let fields = object as? [String: Any] else {
            throw HTTPError.badRequest("The body must be a JSON object.")
        }
        let unknown = fields.keys.filter { !allowedFields.contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw HTTPError.badRequest("Unknown field\(unknown.count == 1 ? "" : "s"): \(unknown.joined(separator: ", ")).",
                                       errors: unknown.map { .init(field: $0, message: "is not a field") })
        }
        do {
            return try JSON.decode(T.self, from: bytes)
        } catch let DecodingError.typeMismatch(expected, context) {
            throw Self.fieldError(context, "must be \(Self.jsonTypeName(expected))")
        } catch let DecodingError.valueNotFound(expected, context) {
            throw Self.fieldError(context, "must be \(Self.jsonTypeName(expected)), not null")
        } catch let DecodingError.keyNotFound(key, context) {
            let field = (context.codingPath.map(Self.pathComponent) + [key.stringValue.snakeCased]).joined(separator: ".")
            throw HTTPError.badRequest("Missing field: \(field).", errors: [.init(field: field, message: "is required")])
        } catch let DecodingError.dataCorrupted(context) {
            // Say what is wrong where the decoder knows: a member the type does not have, or a
            // value off a fixed list (FixedChoice says which list).
            let message = context.debugDescription == "unknown field" ? "is not a field"
                : context.debugDescription.hasPrefix("must be ") ? context.debugDescription : "has an invalid value"
            throw Self.fieldError(context, message)
        }
    }

    /// The raw body of an `application/json` request, at most `limit` bytes (415 for another
    /// media type, 413 over the limit, 400 when there is none).
    func jsonBodyBytes(limit: Int) throws -> [UInt8] {
        let mediaType = header("content-type")?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard mediaType == "application/json" else {
            throw HTTPError.unsupportedMediaType("Send the body as application/json.")
        }
        guard let body = raw.body else { throw HTTPError.badRequest("The request has no body.") }
        return try bufferedBody(body, limit: limit)
    }

    private static func fieldError(_ context: DecodingError.Context, _ message: String) -> HTTPError {
        let field = context.codingPath.map(pathComponent).joined(separator: ".")
        return HTTPError.badRequest("Field \(field.isEmpty ? "(body)" : field) \(message).",
                                    errors: [.init(field: field, message: message)])
    }

    private static func jsonTypeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Int64.Type: "an integer"
        case is Double.Type: "a number"
        default: "of another type"
        }
    }

    /// `columns.2.type`: array positions as numbers, keys as the client spelled them.
    private static func pathComponent(_ key: CodingKey) -> String {
        key.intValue.map(String.init) ?? key.stringValue.snakeCased
    }
}

extension Request {
    /// Whether the request carries a body at all (an optional JSON body may be left out).
    var hasBody: Bool {
        guard let body = raw.body else { return false }
        return (body.declaredLength ?? 0) > 0 || header("content-type") != nil
    }
}
