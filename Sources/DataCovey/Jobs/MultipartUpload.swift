import Foundation

/// Reads a `multipart/form-data` upload as it streams in: small text fields (the import
/// options) are kept, the one file field is handed on chunk by chunk, never held whole. The
/// boundary is searched across chunk edges by keeping back as many bytes as it is long.
struct MultipartUpload {
    /// Why a body is not a usable upload (a 400 with this message).
    struct Problem: Error { let message: String }

    static let maximumFieldBytes = 64 * 1024
    static let maximumHeaderBytes = 16 * 1024

    private let delimiter: [UInt8]  // "\r\n--" + boundary
    private let next: () throws -> [UInt8]
    private var buffer: [UInt8] = []
    private var exhausted = false
    /// The file part's `filename`, once read.
    private(set) var fileName: String?

    /// `contentType` is the request's header; `next` yields body chunks (empty at the end).
    init(contentType: String, next: @escaping () throws -> [UInt8]) throws {
        guard let boundary = Self.boundary(contentType) else {
            throw Problem(message: "multipart/form-data needs a boundary parameter.")
        }
        delimiter = Array("\r\n--\(boundary)".utf8)
        self.next = next
        // The body starts with "--boundary" (no CRLF before it): pretend one was there.
        buffer = [0x0D, 0x0A]
    }

    static func boundary(_ contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            let value = pair[1].hasPrefix("\"") && pair[1].hasSuffix("\"") && pair[1].count >= 2 ? String(pair[1].dropFirst().dropLast()) : pair[1]
            guard (1...70).contains(value.utf8.count) else { return nil }
            return value
        }
        return nil
    }

    /// Walks the parts: text fields go to `fields`; the file field named `fileField` streams into
    /// `file` (called with chunks, then once with an empty chunk). Returns whether a file came.
    mutating func read(fileField: String, fields: inout [String: String], file: ([UInt8]) throws -> Void) throws -> Bool {
        var sawFile = false
        try skipPreamble()
        while true {
            // After a delimiter: "--" ends the body, CRLF starts a part.
            try fill(2)
            if buffer.starts(with: [0x2D, 0x2D]) { return sawFile }
            guard buffer.starts(with: [0x0D, 0x0A]) else { throw Problem(message: "The multipart body is malformed.") }
            buffer.removeFirst(2)
            let headers = try readHeaders()
            guard let disposition = headers["content-disposition"], let name = Self.parameter("name", in: disposition) else {
                throw Problem(message: "A multipart part has no Content-Disposition name.")
            }
            if name == fileField {
                guard !sawFile else { throw Problem(message: "Send one \(fileField) field.") }
                sawFile = true
                fileName = Self.parameter("filename", in: disposition)
                try streamPart(into: file)
                try file([])
            } else {
                var value: [UInt8] = []
                try streamPart { chunk in
                    value += chunk
                    guard value.count <= Self.maximumFieldBytes else { throw Problem(message: "The field \(name) is too long.") }
                }
                fields[name] = String(decoding: value, as: UTF8.self)
            }
        }
    }

    private mutating func fill(_ count: Int) throws {
        while buffer.count < count && !exhausted {
            let chunk = try next()
            if chunk.isEmpty { exhausted = true } else { buffer += chunk }
        }
        guard buffer.count >= count else { throw Problem(message: "The multipart body ends too early.") }
    }

    private mutating func skipPreamble() throws {
        try streamPart { _ in }
    }

    /// Hands on bytes up to the next delimiter and consumes the delimiter.
    private mutating func streamPart(into sink: ([UInt8]) throws -> Void) throws {
        while true {
            if let found = Self.find(delimiter, in: buffer) {
                // A delimiter is followed by "--" (the last) or a line break (RFC 2046 §5.1.1);
                // "--boundaryX" in the content is content.
                let after = found + delimiter.count
                if buffer.count < after + 2 && !exhausted {
                    let chunk = try next()
                    if chunk.isEmpty { exhausted = true } else { buffer += chunk }
                    continue
                }
                let follower = Array(buffer[after..<min(buffer.count, after + 2)])
                if follower == [0x2D, 0x2D] || follower == [0x0D, 0x0A] || follower.first == 0x20 || follower.first == 0x09 {
                    if found > 0 { try sink(Array(buffer[..<found])) }
                    buffer.removeFirst(after)
                    while let first = buffer.first, first == 0x20 || first == 0x09 { buffer.removeFirst() }
                    return
                }
                try sink(Array(buffer[...found]))
                buffer.removeFirst(found + 1)
                continue
            }
            // Keep back enough bytes to hold a delimiter split across chunks.
            let safe = buffer.count - (delimiter.count - 1)
            if safe > 0 {
                try sink(Array(buffer[..<safe]))
                buffer.removeFirst(safe)
            }
            guard !exhausted else { throw Problem(message: "The multipart body ends without its closing boundary.") }
            let chunk = try next()
            if chunk.isEmpty { exhausted = true } else { buffer += chunk }
        }
    }

    private mutating func readHeaders() throws -> [String: String] {
        let end: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A]
        while Self.find(end, in: buffer) == nil {
            guard buffer.count <= Self.maximumHeaderBytes, !exhausted else { throw Problem(message: "A multipart part's headers are malformed.") }
            let chunk = try next()
            if chunk.isEmpty { exhausted = true } else { buffer += chunk }
        }
        let found = Self.find(end, in: buffer)!
        let text = String(decoding: buffer[..<found], as: UTF8.self)
        buffer.removeFirst(found + end.count)
        var headers: [String: String] = [:]
        for line in text.components(separatedBy: "\r\n") where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return headers
    }

    /// `name="value"` from a Content-Disposition header.
    static func parameter(_ key: String, in header: String) -> String? {
        for item in header.split(separator: ";").dropFirst() {
            let pair = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == key else { continue }
            return pair[1].hasPrefix("\"") && pair[1].hasSuffix("\"") && pair[1].count >= 2 ? String(pair[1].dropFirst().dropLast()) : pair[1]
        }
        return nil
    }

    /// The first index of `needle` in `haystack`.
    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        let first = needle[0]
        return haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pin in
                var index = 0
                let last = hay.count - pin.count
                while index <= last {
                    if hay[index] == first {
                        var match = true
                        for offset in 1..<pin.count where hay[index + offset] != pin[offset] {
                            match = false
                            break
                        }
                        if match { return index }
                    }
                    index += 1
                }
                return nil
            }
        }
    }
}
