import Foundation

/// A Swift type a result cell can become.
public protocol MariaDBDecodable: Sendable {
    init(mariaDBCell cell: MariaDBCell) throws
}

private func mismatch(_ cell: MariaDBCell) -> MariaDBDecodingFailure {
    MariaDBDecodingFailure(cell == .null ? "unexpected NULL" : "unexpected \(cell.kindName) value")
}

extension Int64: MariaDBDecodable {
    public init(mariaDBCell cell: MariaDBCell) throws {
        switch cell {
        case .int(let value): self = value
        case .uint(let value):
            guard let exact = Int64(exactly: value) else { throw MariaDBDecodingFailure("value out of range") }
            self = exact
        case .bytes(let bytes, false):
            guard let value = Int64(String(decoding: bytes, as: UTF8.self)) else { throw mismatch(cell) }
            self = value
        default: throw mismatch(cell)
        }
    }
}

extension Int: MariaDBDecodable {
    public init(mariaDBCell cell: MariaDBCell) throws {
        self = Int(try Int64(mariaDBCell: cell))
    }
}

extension Int32: MariaDBDecodable {
    public init(mariaDBCell cell: MariaDBCell) throws {
        guard let value = Int32(exactly: try Int64(mariaDBCell: cell)) else { throw MariaDBDecodingFailure("value out of range") }
        self = value
    }
}

extension UInt64: MariaDBDecodable {
    public init(mariaDBCell cell: MariaDBCell) throws {
        switch cell {
        case .uint(let value): self = value
        case .int(let value) where value >= 0: self = UInt64(value)
        default: throw mismatch(cell)
        }
    }
}

extension Double: MariaDBDecodable {
    public init(mariaDBCell cell: MariaDBCell) throws {
        switch cell {
        case .double(let value): self = value
        case .int(let value): self = Double(value)
        case .uint(let value): self = Double(value)
        case .bytes(let bytes, false):
            guard let value = Double(String(decoding: bytes, as: UTF8.self)) else { throw mismatch(cell) }
            self = value
        default: throw mismatch(cell)
        }
    }
}

extension Bool: MariaDBDecodable {
    public init(mariaDBCell cell: MariaDBCell) throws {
        switch cell {
        case .int(let value): self = value != 0
        case .uint(let value): self = value != 0
        default: throw mismatch(cell)
        }
    }
}

extension String: MariaDBDecodable {
    public init(mariaDBCell cell: MariaDBCell) throws {
        switch cell {
        case .bytes(let bytes, _): self = String(decoding: bytes, as: UTF8.self)
        case .int(let value): self = String(value)
        case .uint(let value): self = String(value)
        case .double(let value): self = String(value)
        default: throw mismatch(cell)
        }
    }
}

extension Array: MariaDBDecodable where Element == UInt8 {
    public init(mariaDBCell cell: MariaDBCell) throws {
        guard case .bytes(let bytes, _) = cell else { throw mismatch(cell) }
        self = bytes
    }
}

extension MariaDBDateTime: MariaDBDecodable {
    public init(mariaDBCell cell: MariaDBCell) throws {
        guard case .dateTime(let value) = cell else { throw mismatch(cell) }
        self = value
    }
}

extension Date: MariaDBDecodable {
    public init(mariaDBCell cell: MariaDBCell) throws {
        guard case .dateTime(let value) = cell else { throw mismatch(cell) }
        guard let date = value.date else { throw MariaDBDecodingFailure("zero date") }
        self = date
    }
}

extension MariaDBCell: MariaDBDecodable {
    public init(mariaDBCell cell: MariaDBCell) throws { self = cell }
}

extension Optional: MariaDBDecodable where Wrapped: MariaDBDecodable {
    public init(mariaDBCell cell: MariaDBCell) throws {
        self = cell == .null ? nil : try Wrapped(mariaDBCell: cell)
    }
}
