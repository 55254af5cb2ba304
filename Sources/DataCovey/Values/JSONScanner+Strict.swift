extension JSONScanner {
    /// Checks a request body the way a strict API must before decoding it: one RFC 8259 value
    /// (no trailing commas), no object anywhere that names a member twice (Foundation's decoder
    /// takes `{"name":"a","name":"b"}` as one of them without a word), and no number that
    /// Foundation's decoder would change by reading it through Double (`JSONNumberExactness`).
    static func checkBody(_ bytes: UnsafeBufferPointer<UInt8>) throws(Failure) {
        let value = try document(bytes)
        try checkNumber(value, in: bytes, at: 0)
        try checkMembers(of: value, in: bytes, depth: 0)
    }

    private static func checkNumber(_ value: Value, in bytes: UnsafeBufferPointer<UInt8>, at base: Int) throws(Failure) {
        guard value.kind == .number else { return }
        let range = (value.range.lowerBound + base)..<(value.range.upperBound + base)
        let literal = UnsafeBufferPointer(rebasing: bytes[range])
        guard JSONNumberExactness.survivesDouble(literal) else {
            throw Failure(reason: "has the number \(String(decoding: literal.prefix(64), as: UTF8.self)), which cannot be read exactly as a JSON number here: write it as a string (\"…\")",
                          offset: range.lowerBound)
        }
    }

    /// Nested request bodies are small; 64 levels is far more than any endpoint reads.
    private static let maximumBodyDepth = 64

    private static func checkMembers(of value: Value, in bytes: UnsafeBufferPointer<UInt8>, depth: Int) throws(Failure) {
        guard value.kind == .object || value.kind == .array else { return }
        guard depth < maximumBodyDepth else { throw Failure(reason: "nests deeper than \(maximumBodyDepth) levels", offset: value.range.lowerBound) }
        var scanner = JSONScanner(UnsafeBufferPointer(rebasing: bytes[value.range]))
        var nested: [Value] = []
        do {
            if value.kind == .object {
                var names: Set<[UInt8]> = []
                var repeated: (name: String, offset: Int)?
                try scanner.members { name, member in
                    if !names.insert(Array(name)).inserted, repeated == nil {
                        repeated = (String(decoding: name, as: UTF8.self), member.range.lowerBound)
                    }
                    nested.append(member)
                }
                if let repeated {
                    throw Failure(reason: "names member \"\(repeated.name.prefix(64))\" twice", offset: value.range.lowerBound + repeated.offset)
                }
            } else {
                try scanner.elements { scanner in nested.append(try scanner.value()) }
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(reason: "is not valid JSON", offset: value.range.lowerBound)
        }
        for member in nested where member.kind == .number {
            try checkNumber(member, in: bytes, at: value.range.lowerBound)
        }
        for member in nested where member.kind == .object || member.kind == .array {
            let shifted = Value(kind: member.kind, range: (member.range.lowerBound + value.range.lowerBound)..<(member.range.upperBound + value.range.lowerBound),
                                depth: member.depth, hasEscapes: member.hasEscapes)
            try checkMembers(of: shifted, in: bytes, depth: depth + 1)
        }
    }
}
