import CMariaDB

/// The `MYSQL_BIND` array for a statement's parameters and the memory each bind points at;
/// all of it is freed together when the buffers go away.
final class ParameterBuffers {
    let binds: UnsafeMutablePointer<MYSQL_BIND>
    private let count: Int
    private var allocations: [UnsafeMutableRawPointer] = []

    init(_ values: [MariaDBValue]) {
        count = values.count
        binds = .allocate(capacity: max(count, 1))
        binds.initialize(repeating: MYSQL_BIND(), count: max(count, 1))
        for (index, value) in values.enumerated() {
            fill(&binds[index], with: value)
        }
    }

    deinit {
        binds.deinitialize(count: max(count, 1))
        binds.deallocate()
        for pointer in allocations { pointer.deallocate() }
    }

    private func allocate(_ size: Int, alignment: Int = 8) -> UnsafeMutableRawPointer {
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: max(size, 1), alignment: alignment)
        allocations.append(pointer)
        return pointer
    }

    private func fill(_ bind: inout MYSQL_BIND, with value: MariaDBValue) {
        switch value {
        case .null:
            bind.buffer_type = MYSQL_TYPE_NULL
        case .int(let number):
            bind.buffer_type = MYSQL_TYPE_LONGLONG
            let storage = allocate(8)
            storage.storeBytes(of: number, as: Int64.self)
            bind.buffer = storage
        case .uint(let number):
            bind.buffer_type = MYSQL_TYPE_LONGLONG
            bind.is_unsigned = 1
            let storage = allocate(8)
            storage.storeBytes(of: number, as: UInt64.self)
            bind.buffer = storage
        case .double(let number):
            bind.buffer_type = MYSQL_TYPE_DOUBLE
            let storage = allocate(8)
            storage.storeBytes(of: number, as: Double.self)
            bind.buffer = storage
        case .text(let text):
            fillBytes(&bind, Array(text.utf8), type: MYSQL_TYPE_STRING)
        case .bytes(let bytes):
            fillBytes(&bind, bytes, type: MYSQL_TYPE_BLOB)
        case .dateTime(let value):
            bind.buffer_type = MYSQL_TYPE_DATETIME
            let storage = allocate(MemoryLayout<MYSQL_TIME>.size, alignment: MemoryLayout<MYSQL_TIME>.alignment)
            var time = MYSQL_TIME()
            time.year = UInt32(value.year)
            time.month = UInt32(value.month)
            time.day = UInt32(value.day)
            time.hour = UInt32(value.hour)
            time.minute = UInt32(value.minute)
            time.second = UInt32(value.second)
            time.second_part = UInt(value.microsecond)
            time.time_type = MYSQL_TIMESTAMP_DATETIME
            storage.storeBytes(of: time, as: MYSQL_TIME.self)
            bind.buffer = storage
            bind.buffer_length = UInt(MemoryLayout<MYSQL_TIME>.size)
        }
    }

    private func fillBytes(_ bind: inout MYSQL_BIND, _ bytes: [UInt8], type: enum_field_types) {
        bind.buffer_type = type
        let storage = allocate(bytes.count, alignment: 1)
        bytes.withUnsafeBytes { storage.copyMemory(from: $0.baseAddress ?? UnsafeRawPointer(storage), byteCount: bytes.count) }
        bind.buffer = storage
        bind.buffer_length = UInt(bytes.count)
        let length = allocate(MemoryLayout<UInt>.size)
        length.storeBytes(of: UInt(bytes.count), as: UInt.self)
        bind.length = length.assumingMemoryBound(to: UInt.self)
    }
}
