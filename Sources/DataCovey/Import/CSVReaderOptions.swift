extension CSVReader {
    /// The CSV dialect and the reader's limits. Delimiter and quote are single ASCII bytes, which
    /// keeps them from ever matching part of a multi-byte UTF-8 character.
    struct Options: Equatable, Sendable {
        var delimiter: UInt8
        var quote: UInt8
        /// The longest record accepted, counted in input bytes (quotes and delimiters included, the
        /// line ending not); longer is a thrown `StreamingReaderError.recordTooLarge`.
        var maxRecordBytes: Int
        /// How much to read from the source at a time.
        var chunkSize: Int

        init(
            delimiter: UInt8 = UInt8(ascii: ","),
            quote: UInt8 = UInt8(ascii: "\""),
            maxRecordBytes: Int = 16 << 20,
            chunkSize: Int = 1 << 20
        ) {
            self.delimiter = delimiter
            self.quote = quote
            self.maxRecordBytes = maxRecordBytes
            self.chunkSize = chunkSize
        }

        /// What is wrong with these options, or nil when a reader can use them.
        var problem: String? {
            for (name, byte) in [("delimiter", delimiter), ("quote", quote)] {
                if byte >= 0x80 { return "the \(name) must be an ASCII character" }
                if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { return "the \(name) cannot be a line break" }
            }
            if delimiter == quote { return "the delimiter and the quote must differ" }
            if maxRecordBytes < 1 { return "maxRecordBytes must be positive" }
            if chunkSize < 1 { return "chunkSize must be positive" }
            return nil
        }
    }
}
