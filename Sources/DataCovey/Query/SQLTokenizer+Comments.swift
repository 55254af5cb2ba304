/// Comment handling: comments vanish, except executable ones, which are refused
/// because the server executes their content.
extension SQLTokenizer {
    /// `--` only opens a comment when followed by whitespace, a control character or the
    /// end of input; otherwise `1--1` is two minus signs.
    func startsDashComment() -> Bool {
        guard peek(1) == UInt8(ascii: "-") else { return false }
        guard let next = peek(2) else { return true }
        return next <= 0x20 || next == 0x7F
    }

    /// `#` and `-- ` comments run to the next newline.
    mutating func skipLineComment() {
        while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
    }

    /// Skips `/* … */`. `/*!` and `/*M!` (any case) are refused: MariaDB runs their content.
    mutating func skipBlockComment() throws(Failure) {
        let start = index
        let third = peek(2)
        if third == UInt8(ascii: "!")
            || ((third == UInt8(ascii: "M") || third == UInt8(ascii: "m")) && peek(3) == UInt8(ascii: "!")) {
            throw Failure(kind: .executableComment, offset: start)
        }
        index += 2
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "*"), bytes[index + 1] == UInt8(ascii: "/") {
                index += 2
                return
            }
            index += 1
        }
        throw Failure(kind: .unterminatedComment, offset: start)
    }
}
