/// Why an import reader stopped: input it cannot get past, as opposed to a bad row it can skip.
///
/// Row-level problems (a stray quote, a line that is not a JSON object) are reported on the row so
/// the worker can reject it and go on; these end the whole import.
enum StreamingReaderError: Error, Equatable, CustomStringConvertible {
    /// A quoted CSV field was still open at the end of the input, so every row after its opening
    /// quote was swallowed into it.
    case unterminatedQuotedField(line: Int)
    /// A record or line was longer than the reader's cap, which keeps a missing closing quote (or a
    /// file that is not line-oriented at all) from using unbounded memory.
    case recordTooLarge(line: Int, limit: Int)
    /// The reader was configured with options it cannot work with, such as a quote equal to the delimiter.
    case invalidOptions(String)

    var description: String {
        switch self {
        case .unterminatedQuotedField(let line):
            "unterminated quoted field starting on line \(line)"
        case .recordTooLarge(let line, let limit):
            "record starting on line \(line) is longer than \(limit) bytes"
        case .invalidOptions(let reason):
            "invalid reader options: \(reason)"
        }
    }
}
