import CMariaDB

/// The `MYSQL_BIND` array a result is fetched into, one typed buffer per column:
/// integers as 64-bit, floating point as double, dates as `MYSQL_TIME`, everything else as bytes.
final class ResultBuffers {
    private enum Kind { case integer(unsigned: Bool), double, dateTime, bytes(binary: Bool) }

    let binds: UnsafeMutablePointer<MYSQL_BIND>
    private let kinds: [Kind]
    private let lengths: UnsafeMutablePointer<UInt>
    private let nulls: UnsafeMutablePointer<my_bool>
    private let errors: UnsafeMutablePointer<my_bool>
    private var buffers: [UnsafeMutableRawPointer]
    private static let initialTextCapacity = 256

    init(columns: [MariaDBColumn]) {
        let count = max(columns.count, 1)
        binds = .allocate(capacity: count)
        binds.initialize(repeating: MYSQL_BIND(), count: count)
        lengths = .allocate(capacity: count)
        lengths.initialize(repeating: 0, count: count)
        nulls = .allocate(capacity: count)
        nulls.initialize(repeating: 0, count: count)
        errors = .allocate(capacity: count)
        errors.initialize(repeating: 0, count: count)
        var kinds: [Kind] = []
        var buffers: [UnsafeMutableRawPointer] = []
        for (index, column) in columns.enumerated() {
            let kind = Self.kind(of: column)
            let size: Int
            switch kind {
            case .integer(let unsigned):
                binds[index].buffer_type = MYSQL_TYPE_LONGLONG
                binds[index].is_unsigned = unsigned ? 1 : 0
                size = 8
            case .double:
                binds[index].buffer_type = MYSQL_TYPE_DOUBLE
                size = 8
            case .dateTime:
                binds[index].buffer_type = MYSQL_TYPE_DATETIME
                size = MemoryLayout<MYSQL_TIME>.size
            case .bytes:
                binds[index].buffer_type = MYSQL_TYPE_STRING
                size = Self.initialTextCapacity
            }
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
            binds[index].buffer = buffer
            binds[index].buffer_length = UInt(size)
            binds[index].length = lengths + index
            binds[index].is_null = nulls + index
            binds[index].error = errors + index
            kinds.append(kind)
            buffers.append(buffer)
        }
        self.kinds = kinds
        self.buffers = buffers
    }

    deinit {
        let count = max(kinds.count, 1)
        binds.deinitialize(count: count)
        binds.deallocate()
        lengths.deallocate()
        nulls.deallocate()
        errors.deallocate()
        for buffer in buffers { buffer.deallocate() }
    }

    private static func kind(of column: MariaDBColumn) -> Kind {
        switch enum_field_types(rawValue: column.typeCode) {
        case MYSQL_TYPE_TINY, MYSQL_TYPE_SHORT, MYSQL_TYPE_LONG, MYSQL_TYPE_INT24, MYSQL_TYPE_LONGLONG, MYSQL_TYPE_YEAR:
            .integer(unsigned: column.isUnsigned)
        case MYSQL_TYPE_FLOAT, MYSQL_TYPE_DOUBLE:
            .double
        case MYSQL_TYPE_DATE, MYSQL_TYPE_DATETIME, MYSQL_TYPE_TIMESTAMP, MYSQL_TYPE_NEWDATE:
            .dateTime
        default:
            .bytes(binary: column.isBinary)
        }
    }

    /// The cell of column `index` for the row just fetched.
    func cell(at index: Int, truncated: Bool, statement: UnsafeMutablePointer<MYSQL_STMT>) throws -> MariaDBCell {
        if nulls[index] != 0 { return .null }
        let buffer = buffers[index]
        switch kinds[index] {
        case .integer(let unsigned):
            return unsigned ? .uint(buffer.load(as: UInt64.self)) : .int(buffer.load(as: Int64.self))
        case .double:
            return .double(buffer.load(as: Double.self))
        case .dateTime:
            let time = buffer.load(as: MYSQL_TIME.self)
            return .dateTime(MariaDBDateTime(
                year: Int(time.year), month: Int(time.month), day: Int(time.day),
                hour: Int(time.hour), minute: Int(time.minute), second: Int(time.second),
                microsecond: Int(time.second_part)))
        case .bytes(let binary):
            let length = Int(lengths[index])
            let capacity = Int(binds[index].buffer_length)
            if truncated && length > capacity {
                return .bytes(try fetchWhole(index: index, length: length, statement: statement), isBinary: binary)
            }
            let bytes = Array(UnsafeRawBufferPointer(start: buffer, count: length))
            return .bytes(bytes, isBinary: binary)
        }
    }

    private func fetchWhole(index: Int, length: Int, statement: UnsafeMutablePointer<MYSQL_STMT>) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: length)
        var actual: UInt = 0
        var isNull: my_bool = 0
        let status = bytes.withUnsafeMutableBytes { raw -> Int32 in
            var bind = MYSQL_BIND()
            bind.buffer_type = MYSQL_TYPE_STRING
            bind.buffer = raw.baseAddress
            bind.buffer_length = UInt(length)
            return withUnsafeMutablePointer(to: &actual) { actualPointer in
                withUnsafeMutablePointer(to: &isNull) { nullPointer in
                    bind.length = actualPointer
                    bind.is_null = nullPointer
                    return mysql_stmt_fetch_column(statement, &bind, UInt32(index), 0)
                }
            }
        }
        guard status == 0 else {
            throw MariaDBError(code: mysql_stmt_errno(statement), sqlState: String(cString: mysql_stmt_sqlstate(statement)),
                               message: String(cString: mysql_stmt_error(statement)))
        }
        return bytes
    }
}
