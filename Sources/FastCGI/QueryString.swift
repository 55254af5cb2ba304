/// `application/x-www-form-urlencoded` decoding, shared by query strings and form bodies.
public enum QueryString {
    /// Splits `a=1&b=x+y` into decoded pairs; a pair without `=` has an empty value.
    public static func parse(_ raw: String) -> [(name: String, value: String)] {
        guard !raw.isEmpty else { return [] }
        var pairs: [(name: String, value: String)] = []
        for part in raw.split(separator: "&", omittingEmptySubsequences: true) {
            if let eq = part.firstIndex(of: "=") {
                pairs.append((decode(part[..<eq]), decode(part[part.index(after: eq)...])))
            } else {
                pairs.append((decode(part), ""))
            }
        }
        return pairs
    }

    /// Percent-decodes `text`, turning `+` into a space; malformed escapes are kept literally and
    /// invalid UTF-8 is repaired, so decoding never fails.
    public static func decode(_ text: Substring, plusIsSpace: Bool = true) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            switch byte {
            case UInt8(ascii: "+") where plusIsSpace:
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                if iterator.count >= 2,
                   let high = hexValue(iterator[iterator.startIndex]),
                   let low = hexValue(iterator[iterator.startIndex + 1]) {
                    bytes.append(high << 4 | low)
                    iterator = iterator.dropFirst(2)
                } else {
                    bytes.append(byte)
                }
            default:
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
