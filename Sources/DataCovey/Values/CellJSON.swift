import MariaDB

/// A stored cell as the API's JSON value, the reading side of `CellConverter`: what was stored
/// comes back as it was written. Numbers keep their digits (decimals as strings), timestamps
/// are RFC 3339 UTC with all six fractional digits (never a Date in between, which rounds and
/// can carry 23:59:59.999999 of 9999-12-31 into year 10000), and json is the text MariaDB
/// holds, not a re-encoding of it.
enum CellJSON {
    /// By how the column's cells render (`ColumnKind.cellKind`, asked once per column by the
    /// caller, not per cell).
    static func write(_ cell: MariaDBCell, kind: QueryColumn.Kind, into out: inout [UInt8]) {
        switch (kind, cell) {
        case (_, .null):
            out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
        case (.bool, .int(let number)):
            out.append(contentsOf: number != 0 ? [0x74, 0x72, 0x75, 0x65] : [0x66, 0x61, 0x6C, 0x73, 0x65])
        case (_, .int(let number)):
            ByteText.integer(number, into: &out)
        case (_, .uint(let number)):
            out.append(contentsOf: String(number).utf8)
        case (_, .double(let number)):
            // The shortest text that reads back as the same double (JSON has no NaN or infinity,
            // and the converter stores neither).
            out.append(contentsOf: (number.isFinite ? "\(number)" : "null").utf8)
        case (.date, .dateTime(let value)):
            out.append(0x22)
            ByteText.padded(value.year, width: 4, into: &out); out.append(0x2D)
            ByteText.padded(value.month, width: 2, into: &out); out.append(0x2D)
            ByteText.padded(value.day, width: 2, into: &out)
            out.append(0x22)
        case (_, .dateTime(let value)):
            out.append(0x22)
            ByteText.dateTime(value, separator: 0x54, fractionDigits: 6, into: &out)
            out.append(contentsOf: [0x5A, 0x22])
        case (.json, .bytes(let bytes, _)):
            out.append(contentsOf: bytes)
        case (_, .bytes(let bytes, _)):
            ByteText.jsonString(bytes, into: &out)
        }
    }
}
