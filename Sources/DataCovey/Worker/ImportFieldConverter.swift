import MariaDB

/// Checks a CSV field's bytes against its column, straight from the reader's buffer: the common
/// types are checked byte by byte and keep their bytes, with no String in between (an import
/// converts millions of fields). The checks are strict on purpose: `LOAD DATA` would
/// turn a bad value into a warning and a zero rather than refuse it.
enum ImportFieldConverter {
    /// Checks a field and writes it into the LOAD DATA stream: the bytes of a checked field go as
    /// they are (escaped where text), with no value in between. Nil when the field fits; the
    /// problem otherwise (nothing written that the caller must keep).
    static func encode(_ bytes: UnsafeBufferPointer<UInt8>, for column: ImportTarget.Column,
                       into encoder: inout LoadDataEncoder) -> RowValueProblem? {
        switch column.type {
        case .int64:
            guard integer(bytes) != nil else { return RowValueProblem("must be an integer") }
            encoder.appendPlain(bytes)
        case .decimal(let precision, let scale):
            guard isDecimal(bytes, precision: precision, scale: scale) else {
                return RowValueProblem("must be a decimal(\(precision),\(scale))")
            }
            encoder.appendPlain(bytes)
        case .date:
            guard TimestampText.date(bytes) == true else { return RowValueProblem("must be a date like 2026-11-25") }
            encoder.appendPlain(bytes)
        case .string, .text:
            if let problem = textProblem(bytes, column.type) { return problem }
            encoder.appendEscaped(bytes)
        case .bool:
            switch lowercasedASCII(bytes) {
            case "true", "t", "1", "yes", "y": encoder.appendPlain(0x31)
            case "false", "f", "0", "no", "n": encoder.appendPlain(0x30)
            default: return RowValueProblem("must be true or false")
            }
        case .timestamp:
            guard let value = TimestampText.parse(bytes) else {
                return RowValueProblem("must be a timestamp like 2026-11-26T08:00:00Z")
            }
            encoder.append(.dateTime(value))
        case .float64, .json:
            guard isUTF8(bytes) else { return RowValueProblem("is not valid UTF-8") }
            switch ImportValues.value(String(decoding: bytes, as: UTF8.self), for: column) {
            case .success(let value): encoder.append(value)
            case .failure(let problem): return problem
            }
        }
        return nil
    }

    private static func textProblem(_ bytes: UnsafeBufferPointer<UInt8>, _ type: ColumnType) -> RowValueProblem? {
        guard isUTF8(bytes) else { return RowValueProblem("is not valid UTF-8") }
        if type == .string {
            // VARCHAR(255) counts code points: every byte that does not continue a sequence.
            var scalars = 0
            for byte in bytes where byte & 0xC0 != 0x80 { scalars += 1 }
            if scalars > 255 { return RowValueProblem("must be at most 255 characters") }
        } else if bytes.count > 16_000_000 {
            return RowValueProblem("is too long")
        }
        return nil
    }

    static func isUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if bytes.allSatisfy({ $0 < 0x80 }) { return true }
        return String(decoding: bytes, as: UTF8.self).utf8.elementsEqual(bytes)
    }

    /// `[+-]digits` within Int64.
    private static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var index = 0
        var negative = false
        if let first = bytes.first, first == 0x2B || first == 0x2D {
            negative = first == 0x2D
            index = 1
        }
        guard index < bytes.count, bytes.count - index <= 19 else {
            return bytes.count - index > 19 ? Int64(String(decoding: bytes, as: UTF8.self)) : nil
        }
        var value: Int64 = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int64(byte - 0x30))
            guard !overflow && !overflow2 else {
                // Only -9223372036854775808 gets here legitimately.
                return Int64(String(decoding: bytes, as: UTF8.self))
            }
            value = sum
            index += 1
        }
        return negative ? -value : value
    }

    /// `[+-]digits[.digits]` with at most `precision - scale` integer digits (leading zeros aside)
    /// and `scale` decimals.
    private static func isDecimal(_ bytes: UnsafeBufferPointer<UInt8>, precision: Int, scale: Int) -> Bool {
        var index = 0
        if let first = bytes.first, first == 0x2B || first == 0x2D { index = 1 }
        var integerDigits = 0
        var significant = false
        var fractionDigits = 0
        var seenPoint = false
        var anyDigit = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x2E {
                guard !seenPoint else { return false }
                seenPoint = true
            } else if byte >= 0x30 && byte <= 0x39 {
                anyDigit = true
                if seenPoint {
                    fractionDigits += 1
                } else if significant || byte != 0x30 {
                    significant = true
                    integerDigits += 1
                }
            } else {
                return false
            }
            index += 1
        }
        return anyDigit && integerDigits <= precision - scale && fractionDigits <= scale
    }

    private static func lowercasedASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard bytes.count <= 5 else { return "" }
        return String(decoding: bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
    }
}

extension TimestampText {
    /// Whether 10 bytes are a `YYYY-MM-DD` day that exists; nil when not even the shape fits.
    static func date(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard bytes.count == 10, bytes[4] == 0x2D, bytes[7] == 0x2D else { return nil }
        var parts = [0, 0, 0]
        for (part, range) in [(0, 0..<4), (1, 5..<7), (2, 8..<10)] {
            for index in range {
                let byte = bytes[index]
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                parts[part] = parts[part] * 10 + Int(byte - 0x30)
            }
        }
        return ColumnDefault.isValidDay(year: parts[0], month: parts[1], day: parts[2])
    }
}
