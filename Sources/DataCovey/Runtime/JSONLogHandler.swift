import Foundation
import Logging

/// A swift-log handler that writes one JSON object per line to standard error:
/// `{"time":"2026-11-26T08:00:00.123Z","level":"info","logger":"datacovey.fcgi","message":"…",…}`
/// with the metadata as further fields (nested values as JSON arrays and objects).
///
/// Each line is one `write(2)`: the supervisor appends standard error to the log file with
/// `O_APPEND`, so lines of concurrent threads never interleave and no lock is taken.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let fileDescriptor: Int32

    public init(label: String, level: Logger.Level = .info, fileDescriptor: Int32 = STDERR_FILENO) {
        self.label = label
        self.logLevel = level
        self.fileDescriptor = fileDescriptor
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata.merging(event.metadata ?? [:]) { $1 }
        if let error = event.error { fields["error"] = .string(String(describing: error)) }
        var line = Self.line(time: Date(), level: event.level, label: label, message: event.message.description,
                             metadata: fields)
        line.append(UInt8(ascii: "\n"))
        line.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Foundation.write(fileDescriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }

    /// The JSON object of one entry, without the newline; fields in a fixed order, then the
    /// metadata sorted by key so lines compare and diff well.
    static func line(time: Date, level: Logger.Level, label: String, message: String,
                     metadata: Logger.Metadata) -> [UInt8] {
        var writer = JSONWriter(capacity: 512)
        writer.beginObject()
        writer.key("time")
        writer.value(time)
        writer.key("level")
        writer.value(level.rawValue)
        writer.key("logger")
        writer.value(label)
        writer.key("message")
        writer.value(message)
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            writer.key(key)
            write(value, to: &writer)
        }
        writer.endObject()
        return writer.bytes
    }

    private static func write(_ value: Logger.Metadata.Value, to writer: inout JSONWriter) {
        switch value {
        case .string(let text):
            writer.value(text)
        case .stringConvertible(let convertible):
            // Numbers stay numbers, so a log query can compare durations and statuses.
            switch convertible {
            case let number as Int: writer.value(Int64(number))
            case let number as Int64: writer.value(number)
            case let number as Double where number.isFinite: writer.value(number)
            case let flag as Bool: writer.value(flag)
            default: writer.value(convertible.description)
            }
        case .array(let values):
            writer.beginArray()
            for element in values { write(element, to: &writer) }
            writer.endArray()
        case .dictionary(let entries):
            writer.beginObject()
            for (key, element) in entries.sorted(by: { $0.key < $1.key }) {
                writer.key(key)
                write(element, to: &writer)
            }
            writer.endObject()
        }
    }
}
