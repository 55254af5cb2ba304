/// One cell as a writer gave it, before its column's type applies. Every write path (a CSV
/// field, an NDJSON member, a `POST …/rows` member) hands its cells to `CellConverter` in this
/// form, so the same value is stored, or refused for the same reason, whichever path it came by.
///
/// The buffers point into the reader's bytes and are valid only during the conversion.
enum CellInput {
    /// A CSV field's bytes: text, whatever the column's type.
    case text(UnsafeBufferPointer<UInt8>)
    /// A JSON string: its content with escapes resolved, and its literal as written (quotes
    /// included), which a json column keeps.
    case jsonString(content: UnsafeBufferPointer<UInt8>, literal: UnsafeBufferPointer<UInt8>)
    /// A JSON number, its literal exactly as written: never read through a Double.
    case jsonNumber(UnsafeBufferPointer<UInt8>)
    /// A JSON `true` or `false`.
    case jsonBool(Bool)
    /// A JSON array or object exactly as written (its syntax already checked), and how deeply
    /// it nests (`[1]` is 1, `[[1]]` is 2).
    case jsonComposite(literal: UnsafeBufferPointer<UInt8>, depth: Int)
}
