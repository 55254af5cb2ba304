import MariaDB

/// The rows of a query answer as the server's text, all cells in one buffer: the text protocol
/// fills it with no per-cell allocation, and a bound (binary-protocol) query renders its cells
/// into the same form, so one encoder writes JSON and CSV for both.
struct QueryRows: Sendable {
    let width: Int
    private var bytes: [UInt8] = []
    /// Where each cell starts and ends in `bytes`; a NULL starts at -1.
    private var starts: [Int] = []
    private var ends: [Int] = []

    /// Most cell bytes the rows may hold: the buffer never grows past it (`DATACOVEY_QUERY_MAX_BYTES`).
    let byteLimit: Int

    init(width: Int, byteLimit: Int = .max) {
        self.width = width
        self.byteLimit = byteLimit
    }

    var count: Int { width == 0 ? 0 : starts.count / width }

    /// Cell bytes held so far.
    var byteCount: Int { bytes.count }

    /// Whether `size` more bytes fit under the limit.
    func fits(_ size: Int) -> Bool { bytes.count + size <= byteLimit }

    /// The bytes of a bound row's cells as `render` writes them, near enough to check the limit
    /// before copying: numbers and dates take at most 32.
    static func estimatedSize(_ cells: [MariaDBCell]) -> Int {
        cells.reduce(0) { total, cell in
            if case .bytes(let value, _) = cell { return total + value.count }
            return total + 32
        }
    }

    /// Grows the buffer for `size` more bytes, doubling as arrays do but never past the limit,
    /// so a capped answer does not hold twice its size.
    private mutating func makeRoom(_ size: Int) {
        let needed = bytes.count + size
        guard needed > bytes.capacity else { return }
        bytes.reserveCapacity(max(needed, min(byteLimit, bytes.capacity * 2)))
    }

    mutating func reserve(rows: Int, bytesPerRow: Int = 64) {
        starts.reserveCapacity(rows * width)
        ends.reserveCapacity(rows * width)
        bytes.reserveCapacity(min(byteLimit, rows * bytesPerRow))
    }

    mutating func append(_ row: MariaDBTextRow) {
        makeRoom(row.byteCount)
        for index in 0..<width {
            if row.isNull(index) {
                starts.append(-1)
            } else {
                starts.append(bytes.count)
                row.withField(index) { bytes.append(contentsOf: $0) }
            }
            ends.append(bytes.count)
        }
    }

    mutating func append(_ cells: [MariaDBCell], kinds: [QueryColumn.Kind]) {
        makeRoom(Self.estimatedSize(cells))
        for index in 0..<width {
            let cell = index < cells.count ? cells[index] : .null
            let start = bytes.count
            starts.append(Self.render(cell, kind: index < kinds.count ? kinds[index] : .text, into: &bytes) ? start : -1)
            ends.append(bytes.count)
        }
    }

    /// A cell's bytes, nil for NULL.
    func withField<Result>(row: Int, column: Int, _ body: (UnsafeBufferPointer<UInt8>?) throws -> Result) rethrows -> Result {
        let position = row * width + column
        let start = starts[position]
        guard start >= 0 else { return try body(nil) }
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<ends[position]])) }
    }

    /// A cell as text, nil for NULL (for tests and small reads such as EXPLAIN's).
    func text(row: Int, column: Int) -> String? {
        withField(row: row, column: column) { $0.map { String(decoding: $0, as: UTF8.self) } }
    }

    /// Every cell as text, row by row.
    var texts: [[String?]] {
        (0..<count).map { row in (0..<width).map { text(row: row, column: $0) } }
    }

    /// A binary-protocol cell in the server's text form (`2026-01-02 10:00:00.123456` for a
    /// timestamp); returns false for NULL.
    static func render(_ cell: MariaDBCell, kind: QueryColumn.Kind, into out: inout [UInt8]) -> Bool {
        switch cell {
        case .null:
            return false
        case .int(let number):
            ByteText.integer(number, into: &out)
        case .uint(let number):
            out.append(contentsOf: String(number).utf8)
        case .double(let number):
            out.append(contentsOf: "\(number)".utf8)
        case .bytes(let value, _):
            out.append(contentsOf: value)
        case .dateTime(let value):
            switch kind {
            case .date:
                ByteText.padded(value.year, width: 4, into: &out); out.append(0x2D)
                ByteText.padded(value.month, width: 2, into: &out); out.append(0x2D)
                ByteText.padded(value.day, width: 2, into: &out)
            case .time:
                ByteText.padded(value.hour, width: 2, into: &out); out.append(0x3A)
                ByteText.padded(value.minute, width: 2, into: &out); out.append(0x3A)
                ByteText.padded(value.second, width: 2, into: &out)
            default:
                ByteText.dateTime(value, separator: 0x20, fractionDigits: 6, into: &out)
            }
        }
        return true
    }
}
