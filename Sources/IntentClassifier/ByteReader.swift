/// Bounds-checked little-endian reads from a byte array; each read returns nil past `end`.
struct ByteReader {
    let bytes: [UInt8]
    var position: Int
    var end: Int

    mutating func bytes(_ count: Int) -> [UInt8]? {
        guard count >= 0, count <= end - position else { return nil }
        defer { position += count }
        return Array(bytes[position..<(position + count)])
    }

    mutating func uint32() -> UInt32? {
        guard end - position >= 4 else { return nil }
        defer { position += 4 }
        return bytes.withUnsafeBytes {
            UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: position, as: UInt32.self))
        }
    }

    mutating func uint64() -> UInt64? {
        guard end - position >= 8 else { return nil }
        defer { position += 8 }
        return Self.uint64(bytes, at: position)
    }

    mutating func float() -> Float? { uint32().map(Float.init(bitPattern:)) }

    static func uint64(_ bytes: [UInt8], at offset: Int) -> UInt64 {
        bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
    }
}
