/// Whether a JSON number literal survives Foundation's decoder, which reads every number that
/// is not an integer through `Double`: `1234567890123.0123456789` would arrive as
/// `…0125`, and a saved query's default or a parameter would quietly hold another value.
/// Request bodies decoded that way refuse such a number instead (write it as a string, which
/// each type's converter reads exactly); row bodies never go through Double (`RowObject`).
enum JSONNumberExactness {
    /// True when the literal denotes exactly the value its nearest Double prints as.
    static func survivesDouble(_ literal: UnsafeBufferPointer<UInt8>) -> Bool {
        let text = String(decoding: literal, as: UTF8.self)
        // Integers within Int64 decode as Int64, not through Double.
        if Int64(text) != nil { return true }
        guard let double = Double(text), double.isFinite else { return false }
        guard let written = normalized(text), let decoded = normalized("\(double)") else { return false }
        return written == decoded
    }

    /// The decimal value of a number's text as (negative, significant digits, exponent of the
    /// last digit); zero is ("", 0) whatever its sign.
    private static func normalized(_ text: String) -> (Bool, [UInt8], Int)? {
        var bytes = Array(text.utf8)
        var negative = false
        if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") {
            negative = bytes.first == UInt8(ascii: "-")
            bytes.removeFirst()
        }
        var exponent = 0
        if let marker = bytes.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            guard let value = Int(String(decoding: bytes[(marker + 1)...], as: UTF8.self)) else { return nil }
            exponent = value
            bytes.removeSubrange(marker...)
        }
        var digits: [UInt8] = []
        var seenPoint = false
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                seenPoint = true
            } else if NumberText.isDigit(byte) {
                digits.append(byte)
                if seenPoint { exponent -= 1 }
            } else {
                return nil
            }
        }
        while digits.first == UInt8(ascii: "0") { digits.removeFirst() }
        while digits.last == UInt8(ascii: "0") {
            digits.removeLast()
            exponent += 1
        }
        if digits.isEmpty { return (false, [], 0) }
        return (negative, digits, exponent)
    }
}
